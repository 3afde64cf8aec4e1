"""bitext: align Chinese and English UN documents into TMX, TBX and training corpora.

Importing this package is cheap: heavy libraries (numpy models, jieba, lxml) are
imported by the modules that need them, so ``bitext --help`` stays instant.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
