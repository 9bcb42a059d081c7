"""`make bench`: speed and memory figures against their targets (:mod:`benchmarks.run`)."""
