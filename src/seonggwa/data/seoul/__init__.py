"""Published Seoul outsourcing-evaluation data (민간위탁 종합성과평가), 2018–2023.

Data files only; read them with :mod:`seonggwa.data.seoul.reader`. See docs/data-seoul.md.
"""
