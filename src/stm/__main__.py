from stm.cli import main

main()
