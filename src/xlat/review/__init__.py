"""What a human reviewer gets: XLIFF for CAT tools, an HTML report, and applying corrections."""
