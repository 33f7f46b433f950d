"""Translating on a Ray cluster: a pool of actors, each holding its engines (models) once.

Only the engine calls leave the driver: a language pair's batch is split along the groups the
engine decodes together (Engine.groups, when it has one), so each group gives the same output
on whichever worker translates it, and the results come back in order. An actor that dies
(its process or its node) is restarted by Ray and its group retried; a group whose actor
cannot be restarted goes to another. Imported only when --cluster is used.

ADDRESS: `local` or `local:N` (a cluster of N workers started on this machine for the run),
`auto` (the cluster this machine belongs to, started with `ray start`), `ray://HOST:10001`
(a Ray client connection to a head node), or HOST:PORT (a head node's GCS address).
"""

from __future__ import annotations

import collections
import dataclasses
import os
from typing import Sequence

from xlat.config import EngineSettings
from xlat.errors import XlatError
from xlat.translate.engines.base import EngineError, Translation

INSTALL_HINT = "--cluster needs Ray, which is not installed: pip install 'xlat[cluster]'"
IN_FLIGHT = 2
"""Groups sent to one actor and not yet back: the next is queued on the worker when it
finishes one (no round trip to the driver in between)."""
GROUP_SENTENCES = 64
"""Sentences per task when the engine has no groups of its own (Apertium): enough to keep a
worker busy, small enough to spread a batch over the pool."""


class ClusterError(XlatError):
    """The cluster cannot be used (Ray missing, address unreachable): one line."""


def _ray():
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no telemetry, ever
    try:
        import ray
    except ImportError:
        raise ClusterError(INSTALL_HINT) from None
    return ray


def parse_address(address: str) -> tuple[str, int | None]:
    """('local', N) or (address, None) for ray.init."""
    address = address.strip()
    if address == "local" or address.startswith("local:"):
        count = address.partition(":")[2]
        if count and not (count.isdigit() and int(count) > 0):
            raise ClusterError(f"--cluster {address}: local takes a number of workers (local:2)")
        return "local", int(count) if count else (os.cpu_count() or 1)
    if not address:
        raise ClusterError("--cluster needs an address: local[:N], auto, ray://HOST:10001 or HOST:PORT")
    return address, None


class Pool:
    """Ray actors translating batches; `translate(hop_engine, texts, source, target)`."""

    def __init__(self, address: str, settings: EngineSettings, factories: dict,
                 workers: int | None = None, connect_timeout_s: float = 30.0):
        ray = _ray()
        self.ray = ray
        where, local_workers = parse_address(address)
        self._started = False
        import logging

        options = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR,
                       configure_logging=True, ignore_reinit_error=True)
        try:
            if where == "local":
                ray.init(address="local", num_cpus=local_workers, _node_ip_address="127.0.0.1",
                         **options)  # always a new one, whatever `ray start` left behind
            elif where.startswith("ray://"):
                _check_reachable(where, connect_timeout_s)
                ray.init(address=where, logging_level=logging.ERROR, log_to_driver=False,
                         ignore_reinit_error=True)
            else:
                if where != "auto":
                    _check_reachable(where, connect_timeout_s)
                if where.rpartition(":")[0] in ("127.0.0.1", "localhost"):  # a loopback cluster:
                    options["_node_ip_address"] = "127.0.0.1"  # this node is known by that address
                ray.init(address=where, **{k: v for k, v in options.items() if k != "include_dashboard"})
            self._started = True
        except ClusterError:
            raise
        except Exception as exc:  # noqa: BLE001 - ConnectionError, RuntimeError...: one line
            raise ClusterError(f"--cluster {address}: cannot connect: "
                               f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
        cpus = int(ray.cluster_resources().get("CPU", 1))
        per_actor = max(1, settings.threads)
        count = workers or max(1, cpus // per_actor)
        if settings.threads == 0:  # one model thread per actor's CPU, not all of a node's cores
            settings = dataclasses.replace(settings, threads=per_actor)
        gpus = 1 if settings.device == "cuda" else 0
        self.settings = settings
        self.factories = factories
        self._actor_class = ray.remote(num_cpus=per_actor, num_gpus=gpus, max_restarts=-1,
                                       max_task_retries=3)(_Worker)
        self.actors = [self._new_actor() for _ in range(count)]
        self.load = [0] * count  # groups sent to each actor and not yet back
        self.queue: collections.deque = collections.deque()  # (Pending, group) not yet sent
        self.in_flight: dict = {}  # object ref -> (Pending, group, slot, actor)
        self.attempts: dict = {}

    def _new_actor(self):
        return self._actor_class.remote(self.settings, self.factories)

    def translate(self, engine, texts: Sequence[str], engine_name: str, source: str,
                  target: str) -> list[Translation]:
        """One Translation per text, in order, from the pool's actors. `engine` (the driver's
        instance) only says how the batch may be split."""
        return self.submit(engine, texts, engine_name, source, target).result()

    def submit(self, engine, texts: Sequence[str], engine_name: str, source: str,
               target: str) -> "Pending":
        """The batch's groups queued for the actors (the costliest first, so no worker is left
        with a long group at the end) and the first ones sent; `.result()` waits for them."""
        pending = Pending(self, list(texts), engine_name, source, target)
        groups = _groups(engine, pending.texts, source, target)
        pending.left = len(groups)
        groups.sort(key=lambda g: -sum(len(pending.texts[i]) for i in g))
        self.queue.extend((pending, group) for group in groups)
        self._pump()
        return pending

    def _pump(self) -> None:
        """Queued groups to the actors with room: each has at most IN_FLIGHT groups, so the
        next one is waiting in its mailbox when it finishes one, and a slow worker does not
        hold a share decided in advance."""
        while self.queue:
            slot = min(range(len(self.actors)), key=lambda n: self.load[n])
            if self.load[slot] >= IN_FLIGHT:
                return
            pending, group = self.queue.popleft()
            actor = self.actors[slot]
            ref = actor.translate.remote(pending.engine_name, [pending.texts[i] for i in group],
                                         pending.source, pending.target)
            self.in_flight[ref] = (pending, group, slot, actor)
            self.load[slot] += 1

    def _step(self) -> None:
        """Wait for one group (of any batch) to come back, hand it to its batch, send more."""
        ready, _ = self.ray.wait(list(self.in_flight), num_returns=1)
        pending, group, slot, actor = self.in_flight.pop(ready[0])
        self.load[slot] -= 1
        try:
            answer = self.ray.get(ready[0])
        except self.ray.exceptions.RayActorError:
            key = (id(pending), tuple(group))
            self.attempts[key] = self.attempts.get(key, 0) + 1
            if self.attempts[key] > 3:
                pending.failure = (f"the {pending.engine_name} engine's cluster workers kept dying "
                                   f"on {pending.source} -> {pending.target}")
                pending.left -= 1
            else:
                if self.actors[slot] is actor:  # a fresh actor for the dead one (once)
                    try:  # never restarted by Ray beside its replacement (its CPU is freed)
                        self.ray.kill(actor, no_restart=True)
                    except Exception:  # noqa: BLE001 - already gone for good
                        pass
                    self.actors[slot] = self._new_actor()
                self.queue.appendleft((pending, group))
            self._pump()
            return
        pending.left -= 1
        if isinstance(answer, str):  # the engine's own failure, as the local run says it
            pending.failure = pending.failure or answer
        else:
            for i, result in zip(group, answer):
                pending.results[i] = result
        self._pump()

    def close(self) -> None:
        for actor in self.actors:
            try:
                self.ray.kill(actor)
            except Exception:  # noqa: BLE001 - already gone
                pass
        self.actors = []
        if self._started:
            self.ray.shutdown()
            self._started = False


class Pending:
    """A batch out on the cluster; `.result()`: one Translation per text, in order."""

    def __init__(self, pool: Pool, texts: list[str], engine_name: str, source: str, target: str):
        self.pool, self.texts = pool, texts
        self.engine_name, self.source, self.target = engine_name, source, target
        self.results: list[Translation | None] = [None] * len(texts)
        self.left = 0  # groups not yet back
        self.failure = ""

    def cancel(self) -> None:
        """Not needed after all: its groups not yet sent are dropped."""
        queue = self.pool.queue
        kept = [item for item in queue if item[0] is not self]
        self.left -= len(queue) - len(kept)
        queue.clear()
        queue.extend(kept)

    def result(self) -> list[Translation]:
        while self.left:
            self.pool._step()  # other batches' groups come back too: they are kept for them
        if self.failure:
            raise EngineError(self.failure)
        return self.results  # type: ignore[return-value]


def _groups(engine, texts: Sequence[str], source: str, target: str) -> list[list[int]]:
    split = getattr(engine, "groups", None)
    if split is not None:
        return [g for g in split(texts, source, target) if g]
    return [list(range(i, min(i + GROUP_SENTENCES, len(texts))))
            for i in range(0, len(texts), GROUP_SENTENCES)]


def _check_reachable(address: str, timeout_s: float) -> None:
    """A quick TCP check, so an address nobody answers at is one line in seconds."""
    import socket

    hostport = address.split("://", 1)[-1]
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        raise ClusterError(f"--cluster {address}: not an address (HOST:PORT, ray://HOST:PORT, auto, local[:N])")
    try:
        with socket.create_connection((host, int(port)), timeout=min(timeout_s, 10.0)):
            pass
    except OSError as exc:
        raise ClusterError(f"--cluster {address}: cannot connect: {exc.strerror or exc}") from None


class _Worker:
    """One actor: engines created once each (on first use), batches translated."""

    def __init__(self, settings: EngineSettings, factories: dict):
        self.settings = settings
        self.factories = factories
        self.engines: dict = {}

    def translate(self, name: str, texts: list[str], source: str, target: str):
        from xlat.pipeline import _checked
        from xlat.translate.routing import Hop

        try:
            if name not in self.engines:
                self.engines[name] = self.factories[name](self.settings)
            return _checked(self.engines[name], texts, Hop(name, source, target))
        except EngineError as exc:
            return str(exc)
        except Exception as exc:  # noqa: BLE001 - creating the engine failed
            return f"the {name} engine failed on {source} -> {target}: {type(exc).__name__}: {exc}"

    def pid(self) -> int:
        return os.getpid()


def connect(address: str, settings: EngineSettings, workers: int | None = None) -> Pool:
    """A pool of actors on the cluster at `address`, with every registered engine factory
    (a plugin's too) shipped to the workers."""
    from xlat.translate import engines

    return Pool(address, settings, {name: engines._FACTORIES[name] for name in engines.names()},
                workers=workers)
