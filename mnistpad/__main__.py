from mnistpad.cli import main

raise SystemExit(main())
