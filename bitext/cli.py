"""The ``bitext`` command line.

Commands live in :mod:`bitext.commands`, one module each, and are imported only
when invoked (or when their help is shown), so ``bitext --help`` stays instant.
Every :class:`~bitext.errors.BitextError` becomes one ``Error: ...`` line and
exit code 1.
"""

from __future__ import annotations

import importlib
import logging
import sys
from typing import Any

import click

from bitext import __version__

# name -> (module, one-line help shown by ``bitext --help`` without importing it)
COMMANDS: dict[str, tuple[str, str]] = {
    "segment": ("bitext.commands.segment",
                "Clean a document and print its structure and sentences."),
    "align": ("bitext.commands.align", "Align two documents (paragraphs, then sentences)."),
    "build": ("bitext.commands.build", "Run the whole pipeline on a corpus folder."),
    "eval": ("bitext.commands.evaluate", "Score an alignment or a glossary against gold."),
    "validate": ("bitext.commands.validate", "Check a TMX or TBX file against its standard."),
    "filter": ("bitext.commands.filter", "Filter JSONL links for MT training (OpusFilter-style)."),
    "glossary": ("bitext.commands.glossary", "Extract bilingual terms into TBX, CSV or TSV."),
    "review": ("bitext.commands.review",
               "Review alignments and terms in a web page; export the reviewed files."),
}


class LazyGroup(click.Group):
    """A click group that imports a command's module only when it is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(COMMANDS[cmd_name][0])
        command: click.Command = module.cli
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="bitext")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def cli(verbose: int, quiet: bool) -> None:
    """Turn a Chinese UN document and its English version into translation
    memories (TMX), glossaries (TBX) and training corpora."""
    levels = (logging.WARNING, logging.INFO, logging.DEBUG)
    level = logging.ERROR if quiet else levels[min(verbose, 2)]
    logging.basicConfig(level=level, format="bitext: %(levelname)s: %(message)s", stream=sys.stderr)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the CLI, turning user-facing errors into one line and exit 1."""
    from bitext.errors import BitextError

    try:
        return cli.main(args=argv, prog_name="bitext", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except BitextError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)


if __name__ == "__main__":  # python -m bitext.cli
    main()
