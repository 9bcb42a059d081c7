"""What the video says: captions, subtitles, an offline voice and pacing, from the trace.

One place in ``model/`` writes every sentence the video, its subtitles, its voice and an
interactive page say, so they all say the same thing. No Manim here.

- :mod:`model.narration.measures`: the numbers (pure numpy): turns, stretches, folds, margins.
- :mod:`model.narration.captions`: :func:`narrate`, one :class:`Caption` per section.
- :mod:`model.narration.wording`: fitting clauses into two short lines; words as spoken.
- :mod:`model.narration.subtitles`: cues, SRT, WebVTT and JSON.
- :mod:`model.narration.speech`: espeak-ng (or festival) to cached WAV files.
- :mod:`model.narration.pacing`: seconds per section by what changes and what is said.
- :mod:`model.narration.training`: training told as phases, captions and screen time.
"""
