"""Steppe Search indexer: crawl files in, a published Whoosh index generation out.

Flow: ``sources`` read files into :class:`~indexer.records.Article` records, ``clean`` strips
crawler boilerplate, ``extract`` fills date and language, ``analysis`` turns text into terms
(shared with the search side), ``writer`` fills a new generation and ``publish`` flips the
``current`` pointer only after the commit succeeded.
"""
