"""The network: its configuration, the activations it may use, its torch layers and numpy twin."""
