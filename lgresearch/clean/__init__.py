"""Pure, vectorised cleaners shared by all readers: company names, regions, money, rounds, dates."""
