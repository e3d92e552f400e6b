"""`flask content bundle TRACK --out FILE.zip`: a track as static HTML for sharing offline."""
from pathlib import Path

import click

from lms.content.cli import content_cli


@content_cli.command("bundle")
@click.argument("track_slug")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The ZIP file to write.")
def bundle(track_slug: str, out: Path) -> None:
    """Write a track's modules as static HTML pages in a ZIP (no server needed to read them)."""
    from lms.learning.bundle import bundle_track
    from lms.learning.offline import active_track, track_modules_full
    track = active_track(track_slug)
    if track is None:
        raise click.ClickException(f"no active track with the slug {track_slug!r}")
    out.write_bytes(bundle_track(track))
    click.echo(f"wrote {out}: {len(track_modules_full(track.slug))} modules of {track.title}, "
               f"{out.stat().st_size // 1024} KB")
