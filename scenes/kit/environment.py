"""What a correct render needs, applied from the package rather than from the working directory.

Manim reads ``manim.cfg`` from the working directory only, so ``cd .. && manim
netmorph/scenes/morph.py ReluMorph`` used to render with Manim's defaults: black background,
caching on, no encoder options. :func:`apply_render_settings` sets what the videos need before
Manim builds the camera, unless the user set it (a value that differs from Manim's own default
is the user's):

- caching off: hashing thousands of points every ``play`` costs more than it saves;
- the theme's background colour (:class:`scenes.kit.style.Theme`);
- two encoders in flight and x264 ``rc-lookahead=10`` (~400 MB less per encoder at 1080p).

Renders side by side. Several renders of one scene on one media folder used to race: Manim
keeps its Pango text SVGs in a shared ``<media_dir>/texts`` cache (another render could read a
half-written file), and with caching off every render of a scene writes the same
``uncached_00000.mp4`` partial files. Each process gets its own text folder (a temp folder,
removed at exit; Manim still caches within the process) and its own partial-movie folder (under
Manim's, removed at exit), unless the user chose those folders. A render that is killed leaves
its folders behind; the next render removes them (each live process holds a lock in its own).

Output places. Once Manim has planned where the render goes, :func:`prepare_output` proves every
folder it will write (the movie's or still's, the partial movies', the section clips') writable
before any training or frame, one line naming the folder and ``--media_dir`` otherwise; the
movie, clips and still are then written through a temp file and renamed when whole, and a disk
that fills while encoding stops the render with one line, leaving no partial file
(:func:`scenes.kit.manim_internals.write_outputs_whole`, ``stop_on_full_disk``).
"""

from __future__ import annotations

import atexit
import fcntl
import os
import secrets
import shutil
import tempfile
from functools import cache
from pathlib import Path

from manim import config
from manim.constants import RendererType
from threadpoolctl import threadpool_limits

from model.errors import NetmorphError, user_errors
from model.files import unwritable_reason
from scenes.kit.manim_internals import (
    default_setting,
    encode_sound_as_recorded,
    output_plan,
    partial_movie_folder,
    raw_setting,
    stop_on_full_disk,
    write_outputs_whole,
)

RENDER_SETTINGS = {"disable_caching": True}
# Clips encoded while the next one renders (Manim's default, 1, waits for each). Up to 720p,
# four: -ql ReluMorph 6.18 → 5.64 s (eight: no faster), peak 294 → 426 MiB. Above, two: a
# 1080p encoder holds far more, and the -qh render (811 MiB with two) stays under 1 GiB.
SMALL_FRAME = 1280 * 720  # pixels
ENCODERS_SMALL, ENCODERS_LARGE = 4, 2
ENCODER_OPTIONS = {"rc-lookahead": "10"}  # x264's default 40 holds ~400 MB per 1080p encoder

RUN_ID = f"run-{os.getpid()}-{secrets.token_hex(3)}"  # this process's private folders


def check_renderer(args: tuple) -> None:
    """Refuse any renderer but Cairo with one line (OpenGL passes the renderer positionally)."""
    if args or config.renderer != RendererType.CAIRO:
        raise NetmorphError(
            f"renderer {config.renderer.value!r} is not supported: netmorph scenes draw with "
            "Manim's cairo renderer; drop --renderer or pass --renderer=cairo"
        )


def _unset(key: str) -> bool:
    """Whether ``config[key]`` still holds Manim's default (the user has not chosen it)."""
    return raw_setting(key) == default_setting(key)


def encoders_for(pixels: int) -> int:
    """How many clips of a ``pixels``-sized frame are encoded at once (see :data:`SMALL_FRAME`)."""
    return ENCODERS_SMALL if pixels <= SMALL_FRAME else ENCODERS_LARGE


def apply_render_settings(background: str) -> None:
    """Set what a correct render needs (see the module docstring), keeping the user's choices.

    Call before ``Scene.__init__``: the camera reads the background when it is made.
    """
    for key, value in RENDER_SETTINGS.items():
        if _unset(key):
            config[key] = value
    if _unset("max_inflight_encoders"):
        config.max_inflight_encoders = encoders_for(config.pixel_width * config.pixel_height)
    # numpy's OpenBLAS runs even a (12000, 3) @ (3, 2) product on a pool of threads that wait
    # for each other (and for the encoder's thread): one frame in three then lost 1-12 ms in
    # its few tiny products. Every product here is small: one thread is faster.
    threadpool_limits(limits=1, user_api="blas")
    config.video_encoder_options = ENCODER_OPTIONS | config.video_encoder_options
    if _unset("background_color") or config.background_color == _applied.get("background"):
        config.background_color = background
        _applied["background"] = config.background_color
    if _unset("text_dir"):
        config.text_dir = _private_text_dir()
    if config.disable_caching and _unset("partial_movie_dir"):
        config.partial_movie_dir = f"{default_setting('partial_movie_dir')}/{RUN_ID}"


MEDIA_FIX = "choose a writable folder with --media_dir (e.g. --media_dir /tmp/media)"


def prepare_output(file_writer) -> None:
    """Everything about where a render goes, once Manim has planned it (after ``Scene.__init__``,
    before any training): its folders proved writable (:func:`check_output_folders`, one line
    and exit 2 otherwise), its files written whole, its sound (a narrated video's voice)
    encoded at the rate it was recorded, a full disk one line, and this process's partial
    movies removed at exit (:func:`forget_partial_movies_at_exit`)."""
    with user_errors():
        check_output_folders(output_plan(file_writer))
    write_outputs_whole(file_writer)
    encode_sound_as_recorded()
    stop_on_full_disk(file_writer, lambda error: _disk_full(file_writer, error))
    _forget_partial_movies(file_writer)


def output_folders(plan) -> list[Path]:
    """Every folder Manim's output ``plan`` writes into: the movie's (or still's), the still
    fallback's, the partial movies', the section clips' (none for a dry run)."""
    files = (plan.primary_artifact, plan.fallback_image, plan.section_index)
    folders = [Path(f).parent for f in files if f is not None]
    folders += [Path(d) for d in (plan.segment_cache_dir, plan.image_sequence_dir) if d]
    return list(dict.fromkeys(folders))


def check_output_folders(plan) -> None:
    """Refuse, with one line naming the folder and ``--media_dir``, a render whose output
    folders cannot be written (a read-only media folder, a file in the way)."""
    for folder in output_folders(plan):
        reason = unwritable_reason(folder)
        if reason is not None:
            raise NetmorphError(f"cannot write the render into {folder} ({reason}): {MEDIA_FIX}")


def _disk_full(file_writer, error: OSError) -> None:
    """One line for a full disk, once this render's partial movies are gone (they are useless
    now, and take the space the user must free)."""
    folder = partial_movie_folder(file_writer)  # None for a still: it has no partial movies
    if RUN_ID in raw_setting("partial_movie_dir") and folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    media = Path(config.media_dir).absolute()
    failed = Path(error.filename).absolute() if error.filename else media
    where = media if media in (failed, *failed.parents) else failed.parent
    with user_errors():
        raise NetmorphError(
            f"the disk holding {where} is full: the render stopped and left no partial file; "
            f"free some space, or {MEDIA_FIX}"
        )


def forget_partial_movies_at_exit(file_writer) -> None:
    """The name every scene's ``__init__`` calls: all of :func:`prepare_output` (the output
    folders checked, files written whole, partial movies removed at exit)."""
    prepare_output(file_writer)


def _forget_partial_movies(file_writer) -> None:
    """Remove this process's partial-movie folder at exit (the movie is combined by then), and
    the folders of killed renders of the same scene now."""
    if RUN_ID not in raw_setting("partial_movie_dir"):
        return  # Manim's shared folder, the user's choice: keep it
    folder = partial_movie_folder(file_writer)
    if folder is None:
        return  # a still image: no partial movies
    remove_dead_run_folders(folder.parent.glob("run-*"))
    _claim(folder)


def release_unused_partial_movies(file_writer) -> None:
    """Remove this process's partial-movie folder now if it holds no movie: a scene stopped by a
    user mistake before its first frame leaves nothing in the media folder, even in a process
    that goes on (a notebook, a test)."""
    if RUN_ID not in raw_setting("partial_movie_dir"):
        return
    folder = partial_movie_folder(file_writer)
    if folder is None:
        return
    if folder.is_dir() and all(p.name == LOCK_NAME for p in folder.iterdir()):
        shutil.rmtree(folder, ignore_errors=True)


def remove_dead_run_folders(folders) -> list[Path]:
    """Remove the private folders (text SVGs, partial movies) of processes that were killed.

    A live process holds a lock on its folder's ``.lock`` file, and the kernel drops the locks of
    a killed one, so a folder whose lock can be taken is a dead run's. Returns what was removed.
    """
    removed = []
    for folder in map(Path, folders):
        try:
            fd = os.open(folder / LOCK_NAME, os.O_RDONLY)
        except OSError:
            continue  # no lock file: being made right now, or not ours
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # alive
        finally:
            os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


LOCK_NAME = ".netmorph-run.lock"
_held: dict[Path, int] = {}  # folder -> its lock file, held open for the life of the process


def _claim(folder: Path) -> None:
    """Mark ``folder`` as this live process's (a held lock), and remove it at exit.

    A folder this process holds already (the same scene rendered again in one process, as a
    notebook does) is kept as it is: locking it anew would wait on our own lock forever.
    """
    held = _held.pop(folder, None)
    if held is not None and os.fstat(held).st_nlink > 0 and folder.is_dir():
        _held[folder] = held
        return
    if held is not None:
        os.close(held)  # its folder was removed: claim a new one
    while True:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        # Another render's sweep may have taken the new, not yet locked file: then start again.
        if os.fstat(fd).st_nlink > 0:
            break
        os.close(fd)
    _held[folder] = fd
    atexit.register(shutil.rmtree, folder, ignore_errors=True)


_applied: dict[str, object] = {}  # what apply_render_settings set, so a later scene may change it


@cache
def _private_text_dir() -> str:
    """A text-SVG folder for this process alone, removed at exit (or by the next render, if
    this one is killed)."""
    remove_dead_run_folders(Path(tempfile.gettempdir()).glob(f"{TEXT_DIR_PREFIX}*"))
    folder = Path(tempfile.mkdtemp(prefix=TEXT_DIR_PREFIX))
    _claim(folder)
    return str(folder)


TEXT_DIR_PREFIX = "netmorph-texts-"
