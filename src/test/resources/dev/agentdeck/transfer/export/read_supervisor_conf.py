"""Reads an exported supervisord config the way supervisord 4 does, with only the standard library:
RawConfigParser with inline comments after whitespace, %-expansion, shlex.split for command= and shlex in POSIX
and in legacy mode for environment=. Prints JSON: program -> process_num -> {argv, env, env_legacy, directory}.
Secret references %(ENV_X)s expand to "<X>"."""
import configparser
import json
import shlex
import sys


class Env(dict):
    def __missing__(self, key):
        if key.startswith('ENV_'):
            return '<' + key[4:] + '>'
        raise KeyError(key)


def pairs(text, posix):
    lexer = shlex.shlex(text, posix=posix)
    lexer.wordchars += '/.+-():'
    tokens = list(lexer)
    out = {}
    i = 0
    while i < len(tokens):
        k, eq, v = tokens[i:i + 3]
        assert eq == '=', tokens
        out[k] = v if posix else v.strip('\'"')
        i += 4
    return out


parser = configparser.RawConfigParser(inline_comment_prefixes=(';', '#'), strict=False)
parser.read_string(open(sys.argv[1], encoding='utf-8').read())
result = {}
for section in parser.sections():
    if not section.startswith('program:'):
        continue
    name = section.split(':', 1)[1]
    get = lambda opt, d=None: parser.get(section, opt) if parser.has_option(section, opt) else d
    numprocs = int(get('numprocs', '1'))
    start = int(get('numprocs_start', '0'))
    procs = {}
    for num in range(start, start + numprocs):
        exp = Env(program_name=name, process_num=num, numprocs=numprocs, group_name=name, here='.')
        env_text = get('environment', '') % exp
        try:
            legacy = pairs(env_text, False)
        except Exception:
            legacy = None
        procs[str(num)] = {
            'argv': shlex.split(get('command') % exp),
            'env': pairs(env_text, True),
            'env_legacy': legacy,
            'directory': (get('directory') or '') % exp,
        }
    result[name] = procs
print(json.dumps(result))
