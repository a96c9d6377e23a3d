from heard.manage import main

main()
