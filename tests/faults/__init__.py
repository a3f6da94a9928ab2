"""The fault suite: hostile files and odd input, as a tester tried them (issue 10).

One test per fault that once crashed or misled (numbered as in the issue), and per kind of
fault that was already handled. Where the window's or the library's own tests already
cover a handled fault, they are not repeated here; they are:

- pickles never unpickled (marker file never created): tests/test_modelfile.py
  ``test_pickles_are_refused_and_never_unpickled`` (and here, through the command and the window)
- truncated, empty, random and foreign model files: tests/test_modelfile.py
  ``test_broken_files_are_refused``, ``test_safetensors_without_mnistpad_metadata``,
  ``test_specs_of_unknown_or_invalid_variants_are_refused``,
  ``test_weights_that_do_not_match_the_spec_are_refused``, tests/test_cli.py
  ``test_eval_of_a_corrupt_file``
- missing, truncated and corrupt MNIST folders: tests/test_data.py, tests/test_cli.py
  ``test_missing_data_folder``, tests/ui/test_training_panel.py
  ``test_missing_mnist_offers_download_or_folder``
- a save that fails half-way leaves the old file: tests/test_modelfile.py
  ``test_an_interrupted_save_leaves_the_previous_file_intact`` (and here, a real kill -9)
- cancel and close during training: tests/test_cli.py ``test_cancelled_training_leaves_no_file``,
  tests/ui/test_training_panel.py ``test_cancel_stops_quickly_and_saves_nothing``,
  ``test_closing_the_window_mid_run_stops_cleanly``
- a huge learning rate that turns the cost to NaN: tests/test_train.py
  ``test_a_huge_learning_rate_diverges_with_a_clear_message``
- non-image files and output into a closed pipe: tests/test_cli.py
"""
