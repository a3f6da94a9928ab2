"""mnistpad: draw a digit, train the lab models, and see what each one reads."""

__version__ = "0.1.0"
