"""`flask content bundle TRACK --out FILE.zip`: a track as static HTML for sharing offline."""
from contextlib import suppress
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
    data = bundle_track(track)
    # Written beside the target, then renamed: a full disk leaves no half ZIP behind. A new
    # folder (a USB stick's, say) is made, as `--out` names the file, not where it goes.
    partial = out.with_name(out.name + ".partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        partial.replace(out)
    except OSError as error:
        with suppress(OSError):  # nothing was written, or the folder itself is the problem
            partial.unlink()
        raise click.ClickException(f"cannot write {out}: {error.strerror or error}") from error
    click.echo(f"wrote {out}: {len(track_modules_full(track.slug))} modules of {track.title}, "
               f"{out.stat().st_size // 1024} KB")
