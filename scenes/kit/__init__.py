"""What every scene file is built from: base scenes, style, camera, mobjects, animations, overlays,
scene options, and the GIF and slide-deck commands."""
