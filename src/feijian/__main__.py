from feijian.cli import main

raise SystemExit(main())
