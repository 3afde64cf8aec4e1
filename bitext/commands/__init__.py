"""One module per CLI command; each defines a click command named ``cli``.

Commands are thin wrappers over the library: parse options, call library
functions, write outputs atomically. They never catch BitextError themselves.
"""
