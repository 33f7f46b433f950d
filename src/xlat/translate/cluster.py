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

import dataclasses
import os
from typing import Sequence

from xlat.config import EngineSettings
from xlat.errors import XlatError
from xlat.translate.engines.base import EngineError, Translation

INSTALL_HINT = "--cluster needs Ray, which is not installed: pip install 'xlat[cluster]'"
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

    def _new_actor(self):
        return self._actor_class.remote(self.settings, self.factories)

    def replace(self, slot: int, dead) -> None:
        """A fresh actor in `slot` for the `dead` one (once, however many batches saw it die)."""
        if self.actors[slot] is dead:
            self.actors[slot] = self._new_actor()

    def translate(self, engine, texts: Sequence[str], engine_name: str, source: str,
                  target: str) -> list[Translation]:
        """One Translation per text, in order, from the pool's actors. `engine` (the driver's
        instance) only says how the batch may be split."""
        return self.submit(engine, texts, engine_name, source, target).result()

    def submit(self, engine, texts: Sequence[str], engine_name: str, source: str,
               target: str) -> "Pending":
        """The batch's groups sent to the actors now (round robin after the groups already
        out); `.result()` waits for them."""
        texts = list(texts)
        pending = Pending(self, texts, engine_name, source, target)
        for group in _groups(engine, texts, source, target):
            pending.send(group)
        return pending

    def _next_actor(self) -> tuple[int, object]:
        self._turn = (getattr(self, "_turn", -1) + 1) % len(self.actors)
        return self._turn, self.actors[self._turn]

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
    """A batch out on the cluster: its groups' results, in order, with retries."""

    def __init__(self, pool: Pool, texts: list[str], engine_name: str, source: str, target: str):
        self.pool, self.texts = pool, texts
        self.engine_name, self.source, self.target = engine_name, source, target
        self.refs: dict = {}  # object ref -> (group, actor slot)
        self.attempts: dict[tuple, int] = {}

    def send(self, group: list[int], slot: int | None = None) -> None:
        pool = self.pool
        if slot is None:
            slot, actor = pool._next_actor()
        else:
            actor = pool.actors[slot]
        ref = actor.translate.remote(self.engine_name, [self.texts[i] for i in group],
                                     self.source, self.target)
        self.refs[ref] = (group, slot, actor)

    def result(self) -> list[Translation]:
        ray = self.pool.ray
        results: list[Translation | None] = [None] * len(self.texts)
        while self.refs:
            ready, _ = ray.wait(list(self.refs), num_returns=1)
            group, slot, actor = self.refs.pop(ready[0])
            try:
                answer = ray.get(ready[0])
            except ray.exceptions.RayActorError:
                key = tuple(group)
                self.attempts[key] = self.attempts.get(key, 0) + 1
                if self.attempts[key] > 3:
                    raise EngineError(f"the {self.engine_name} engine's cluster workers kept dying "
                                      f"on {self.source} -> {self.target}") from None
                self.pool.replace(slot, actor)  # the dead actor's group goes to a fresh one
                self.send(group, slot)
                continue
            if isinstance(answer, str):  # the engine's own failure, as the local run says it
                raise EngineError(answer)
            for i, result in zip(group, answer):
                results[i] = result
        return results  # type: ignore[return-value]


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
