# Regenerates math-verify-cases.jsonl: run in a checkout of huggingface/Math-Verify, `python3 extract-math-verify-cases.py <commit>`.
# Every pytest parametrize case with gold/pred/expected becomes one JSON line, with the settings its test passes
# (match_types, precision, strict, allow_set_relation_comp). Data only; nothing of Math-Verify runs here.
"""Reads Math-Verify's pytest files and writes every (gold, prediction, expected) parametrize case as one JSON line."""
import ast, json, sys, pathlib
commit = sys.argv[1]
out = []
for path in sorted(pathlib.Path("tests").glob("test_*.py")):
    tree = ast.parse(path.read_text())
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef):
            continue
        # what the body passes on: match_types, precision, allow_set_relation_comp
        call_kw = {}
        uses_default_parse = False
        for node in ast.walk(fn):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "compare_strings":
                for kw in node.keywords:
                    try:
                        call_kw[kw.arg] = ast.literal_eval(kw.value)
                    except Exception:
                        call_kw[kw.arg] = "param"
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "verify" and fn.name == "test_string_extraction":
                uses_default_parse = True
        for dec in fn.decorator_list:
            if not (isinstance(dec, ast.Call) and getattr(dec.func, "attr", None) == "parametrize"):
                continue
            names = [n.strip() for n in ast.literal_eval(dec.args[0]).split(",")]
            if "gold" not in names:
                continue
            for i, elt in enumerate(dec.args[1].elts):
                values = dict(zip(names, eval(compile(ast.Expression(elt), str(path), 'eval'), {'math': __import__('math')})))
                expected = values.get("expected", values.get("result"))
                row = {
                    "source": f"tests/{path.name}", "commit": commit,
                    "test": fn.name,
                    "index": i,
                    "line": elt.lineno,
                    "gold": values["gold"],
                    "prediction": values["pred"],
                    "expected": bool(expected),
                }
                if uses_default_parse:
                    row["matchTypes"] = "default"
                else:
                    row["matchTypes"] = call_kw.get("match_types", ["latex", "expr"])
                precision = values.get("precision", call_kw.get("precision", 6))
                row["precision"] = precision if precision != "param" else 6
                if "strict" in values:
                    row["strict"] = values["strict"]
                if "allow_set_relation_comp" in values:
                    row["allowSetRelationComparison"] = values["allow_set_relation_comp"]
                out.append(row)
with open("math-verify-cases.jsonl", "w") as f:
    for row in out:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
print(len(out))
from collections import Counter
print(Counter((r["source"], r["test"]) for r in out))
print(Counter(str(r["matchTypes"]) for r in out), Counter(r["expected"] for r in out))
