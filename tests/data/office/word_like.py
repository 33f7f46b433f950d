"""Writes article-word.docx: a small article as Microsoft Word writes it (runs split by
revision ids and spelling marks, a complex HYPERLINK field, a w:hyperlink, bookmarks, tabs and
breaks, a footnote, a comment, a table, a numbered list, run-level w:lang). LibreOffice never
writes these, so they are made by hand: `python tests/data/office/word_like.py`."""

import zipfile
from pathlib import Path

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
LANG = '<w:lang w:val="en-GB"/>'


def run(text, props="", rsid="00A1B2C3"):
    space = ' xml:space="preserve"' if text != text.strip() else ""
    rpr = f"<w:rPr>{props}{LANG}</w:rPr>"
    return f'<w:r w:rsidR="{rsid}">{rpr}<w:t{space}>{text}</w:t></w:r>'


def para(body, style=None, numbered=False):
    ppr = ""
    if style or numbered:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + \
              ('<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>' if numbered else "") + "</w:pPr>"
    return f'<w:p w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3" w:rsidP="00D4E5F6">{ppr}{body}</w:p>'


BODY = "".join([
    para(run("Ferry ") + run("service resumes after ", rsid="00B7C8D9") + run("three-week", rsid="00C1D2E3")
         + run(" strike"), style="Heading1"),
    para('<w:bookmarkStart w:id="0" w:name="_GoBack"/>' + run("The ferry between ")
         + '<w:proofErr w:type="spellStart"/>' + run("Kirkwall", rsid="00E1F2A3") + '<w:proofErr w:type="spellEnd"/>'
         + run(" and the mainland ran again on Monday, after a strike that cost the island ", rsid="00E1F2A3")
         + run("£2.4 million", "<w:b/>") + run(".")
         + '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
         + run(" The union called the deal “a fair result for everyone”.") + '<w:bookmarkEnd w:id="0"/>'),
    para(run("Details are on the ") + '<w:hyperlink r:id="rId9" w:history="1">'
         + run("company’s website", '<w:rStyle w:val="Hyperlink"/>') + "</w:hyperlink>"
         + run(", and the timetable is on ")
         + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
         + '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/timetable" </w:instrText></w:r>'
         + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
         + run("the timetable page", '<w:rStyle w:val="Hyperlink"/>')
         + '<w:r><w:fldChar w:fldCharType="end"/></w:r>' + run(".")),
    para('<w:commentRangeStart w:id="0"/>' + run("Passengers said the crossing was calm.")
         + '<w:commentRangeEnd w:id="0"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
         '<w:commentReference w:id="0"/></w:r>'
         + run(" One of them, a teacher, said: ") + run("“I missed my family.”", "<w:i/>")),
    para(run("Departures:") + "<w:r><w:tab/></w:r>" + run("8 a.m.") + "<w:r><w:br/></w:r>"
         + '<w:r><w:lastRenderedPageBreak/><w:t>Returns: 6 p.m.</w:t></w:r>'),
    para(run("Tickets can be booked online."), numbered=True),
    para(run("Cars must arrive 30 minutes early."), numbered=True),
    "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"4000\"/>"
    "<w:gridCol w:w=\"4000\"/></w:tblGrid>"
    + "".join("<w:tr>" + "".join(f'<w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/></w:tcPr>{para(run(c))}</w:tc>'
                                 for c in row) + "</w:tr>"
              for row in (("Route", "Crossings a day"), ("Kirkwall to Aberdeen", "2"), ("Stromness to Scrabster", "3")))
    + "</w:tbl>",
    para(run("The next strike ballot is in June.")),
])

DOCUMENT = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:document {W}><w:body>{BODY}' \
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
FOOTNOTES = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:footnotes {W}>' \
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>' \
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>' \
    '<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr>' \
    '<w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>' + run(" Estimate by the island council.") + \
    '</w:p></w:footnote></w:footnotes>'
COMMENTS = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:comments {W}>' \
    '<w:comment w:id="0" w:author="Desk" w:date="2024-05-06T10:00:00Z" w:initials="D">' \
    + para('<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>'
           + run("Ask the captain too.")) + '</w:comment></w:comments>'
STYLES = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:styles {W}><w:docDefaults><w:rPrDefault>' \
    '<w:rPr><w:lang w:val="en-GB" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault></w:docDefaults>' \
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>' \
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>' \
    '<w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>' \
    '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="0563C1"/>' \
    '<w:u w:val="single"/></w:rPr></w:style>' \
    '<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>' \
    '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style></w:styles>'
NUMBERING = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:numbering {W}>' \
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>' \
    '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' \
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' \
    '<Default Extension="xml" ContentType="application/xml"/>' \
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' \
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>' \
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>' \
    '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>' \
    '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>' \
    '</Types>'
RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' \
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>'
DOCUMENT_RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' \
    f'<Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/>' \
    f'<Relationship Id="rId2" Type="{REL}/numbering" Target="numbering.xml"/>' \
    f'<Relationship Id="rId3" Type="{REL}/footnotes" Target="footnotes.xml"/>' \
    f'<Relationship Id="rId4" Type="{REL}/comments" Target="comments.xml"/>' \
    f'<Relationship Id="rId9" Type="{REL}/hyperlink" Target="https://example.org/ferry" TargetMode="External"/>' \
    '</Relationships>'

if __name__ == "__main__":
    out = Path(__file__).with_name("article-word.docx")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in (("[Content_Types].xml", TYPES), ("_rels/.rels", RELS),
                           ("word/_rels/document.xml.rels", DOCUMENT_RELS), ("word/document.xml", DOCUMENT),
                           ("word/styles.xml", STYLES), ("word/numbering.xml", NUMBERING),
                           ("word/footnotes.xml", FOOTNOTES), ("word/comments.xml", COMMENTS)):
            info = zipfile.ZipInfo(name, (2024, 5, 6, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, text.encode("utf-8"))
    print(out)
