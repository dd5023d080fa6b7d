"""Prints, as JSON, the file names werkzeug's form parser reads from a captured multipart/form-data request
(RAGFlow's Quart server parses uploads with werkzeug's parse_options_header and multipart decoder).
Usage: python3 form_file_names.py BODY_FILE CONTENT_TYPE"""
import io
import json
import sys

from werkzeug.formparser import FormDataParser
from werkzeug.http import parse_options_header

body = open(sys.argv[1], "rb").read()
mimetype, options = parse_options_header(sys.argv[2])
_, form, files = FormDataParser().parse(io.BytesIO(body), mimetype, len(body), options)
print(json.dumps({name: [f.filename for f in files.getlist(name)] for name in files}))
