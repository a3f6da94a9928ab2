"""The Qt-free core: model variants, MNIST data, training, model files, classification.

Nothing in this package imports Qt; the ui package builds on it.
"""
