"""From stage values to the frame: views fitted to the screen, the probability scale, class
coverage and side-by-side panels."""
