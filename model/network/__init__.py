"""The network: its configuration, the activations it may use, and its torch layers."""
