"""The Vega bundle: Vega, Vega-Lite and vega-embed as one script, for the interactive charts."""

from __future__ import annotations

import functools
from pathlib import Path

from generator.cache.keys import VL_CONVERT_VERSION
from generator.cache.store import read_sealed, write_sealed
from generator.processes import worker_pool


def vega_bundle(cache_dir: Path | None) -> bytes:
    """Return Vega, Vega-Lite and vega-embed as one script, served from the site itself.

    Bundling takes seconds, so the bundle is cached beside the charts, keyed by vl-convert's version.
    """
    cached = cache_dir / f"vega-bundle-{VL_CONVERT_VERSION}.js" if cache_dir else None
    if cached is not None:
        content = read_sealed(cached)  # a planted bundle is not served
        if content is not None:
            return content
    content = _made_bundle()
    if cached is not None:
        write_sealed(cached, content)
    return content


@functools.cache
def _made_bundle() -> bytes:
    """Make the bundle in a process of its own, once per process.

    vl-convert's JavaScript engine stays in the process that starts it: making the bundle here
    kept about 120 MB in the build's own process for the rest of a cold build (measured). The
    chart workers are spawned for the same engine, so the caller guards its entry point.
    """
    with worker_pool(1) as pool:  # ends with this process, even one killed outright
        return pool.submit(_bundle_text).result().encode("utf-8")


def _bundle_text() -> str:
    import vl_convert

    bundle: str = vl_convert.javascript_bundle()  # type: ignore[call-arg]  # the stub marks the optional snippet as required
    return bundle
