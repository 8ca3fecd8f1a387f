#!/usr/bin/env python3
"""Reference outputs of Python's Jinja2, configured as Hugging Face renders chat templates, for the
Java chat-template engine (policy/.../internal/jinja) to be compared against.

  python3 tools/reference/jinja_reference.py policy/src/test/resources/jinja/cases.json

Environment as transformers builds it: ImmutableSandboxedEnvironment(trim_blocks=True,
lstrip_blocks=True, extensions=[loopcontrols]), tojson = json.dumps(ensure_ascii=False, ...), and a
raise_exception global. Each case is {name, template, context, output} or {name, template, context,
error} (the Java side only checks that an error is raised).
"""
import json
import sys

import jinja2
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception

MSGS = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Hi \"there\" \u2014 caf\u00e9 \U0001F600"},
    {"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function": {"name": "web_search", "arguments": {"query": ["a", "b"], "n": 3, "x": 1.5, "ok": True, "none": None}}}]},
    {"role": "tool", "content": "result 1"},
    {"role": "tool", "content": "result 2"},
    {"role": "assistant", "content": "<answer>done</answer>"},
]

CASES = [
    ("text", "plain text\nwith lines\n", {}),
    ("print", "{{ 'a' }}{{ \"b\" }}{{ 1 }}{{ 2.5 }}{{ none }}{{ true }}{{ False }}", {}),
    ("print_containers", "{{ [1, 'a', None, True, 1.0, {'k': 'v'}] }}|{{ (1, 2) }}|{{ (1,) }}|{{ {'a': [1, {'b': None}]} }}", {}),
    ("print_strings_repr", "{{ ['it\\'s', \"say \\\"hi\\\"\", 'both \\' and \"', 'tab\\there', 'nl\\n'] }}", {}),
    ("floats", "{{ 1e-5 }} {{ 1e16 }} {{ 1e15 }} {{ 0.1 + 0.2 }} {{ 2/3 }} {{ 10/2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 2 ** 10 }} {{ 1.5e300 * 1.0 }} {{ 123456.789 }}", {}),
    ("undefined_prints_empty", "[{{ missing }}][{{ d.missing }}]", {"d": {}}),
    ("whitespace_minus", "a  {{- 'b' -}}  c\n  {%- if true -%}  d  {%- endif -%}  e", {}),
    ("trim_blocks", "{% if true %}\nyes\n{% endif %}\nafter", {}),
    ("lstrip_blocks", "line\n    {% if true %}\n    in\n    {% endif %}\nend", {}),
    ("lstrip_not_after_text", "x {% if true %}y{% endif %}\n", {}),
    ("plus_disables_lstrip", "    {%+ if true %}kept{% endif %}", {}),
    ("comments", "a{# note #}b\n  {# own line #}\nc{#- trim -#}  d", {}),
    ("if_elif_else", "{% for x in [1, 2, 3, 4] %}{% if x == 1 %}one{% elif x == 2 %}two{% elif x > 3 %}big{% else %}other{% endif %} {% endfor %}", {}),
    ("for_loop_vars", "{% for x in ['a','b','c'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}|{% endfor %}", {}),
    ("for_prev_next", "{% for x in [1,2,3] %}{{ loop.previtem }}-{{ loop.nextitem }};{% endfor %}", {}),
    ("for_else", "{% for x in [] %}x{% else %}empty{% endfor %}", {}),
    ("for_filter", "{% for x in range(10) if x is odd %}{{ x }}{{ loop.index }} {% endfor %}", {}),
    ("for_unpack_items", "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", {"d": {"b": 1, "a": None}}),
    ("for_dict_keys", "{% for k in d %}{{ k }}{% endfor %}", {"d": {"x": 1, "y": 2}}),
    ("for_string", "{% for c in 'h\u00e9\U0001F600' %}[{{ c }}]{% endfor %}", {}),
    ("loop_scoping", "{% set count = 0 %}{% for i in [1,2,3] %}{% set count = count + 1 %}{{ count }}{% endfor %}|{{ count }}", {}),
    ("namespace", "{% set ns = namespace(n=0, last=none) %}{% for i in [1,2,3] %}{% set ns.n = ns.n + i %}{% set ns.last = i %}{% endfor %}{{ ns.n }} {{ ns.last }}", {}),
    ("if_does_not_scope", "{% if true %}{% set x = 5 %}{% endif %}{{ x }}", {}),
    ("break_continue", "{% for i in range(10) %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 5 %}{% break %}{% endif %}{{ i }}{% endfor %}", {}),
    ("set_multiple", "{% set a, b = [1, 2] %}{{ a }}{{ b }}", {}),
    ("set_block", "{% set x %}inner {{ 1 + 1 }}{% endset %}[{{ x }}]", {}),
    ("macro", "{% macro greet(name, punct='!') %}Hello {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', '?') }} {{ greet(name='C', punct='.') }}", {}),
    ("conditional_expr", "{{ 'y' if x else 'n' }}{{ 'y' if not x else 'n' }}{{ x if x }}", {"x": 0}),
    ("and_or_values", "{{ 0 or 'a' }}|{{ 1 and 'b' }}|{{ none or [] }}|{{ '' and 'x' }}", {}),
    ("comparisons", "{{ 1 < 2 <= 2 }} {{ 1 == 1.0 }} {{ 'a' < 'b' }} {{ [1,2] == [1,2] }} {{ 3 != 3 }} {{ 2 > 1 > 3 }}", {}),
    ("in_operator", "{{ 'ell' in 'hello' }} {{ 2 in [1,2] }} {{ 'k' in {'k': 1} }} {{ 5 not in [1] }} {{ 'x' in missing }}", {}),
    ("concat_tilde", "{{ 'a' ~ 1 ~ none ~ true ~ [1] }}", {}),
    ("plus_strings_lists", "{{ 'a' + 'b' }} {{ [1] + [2] }} {{ 'ab' * 3 }} {{ -3 + 1 }}", {}),
    ("attribute_and_item", "{{ d.a }} {{ d['a'] }} {{ l[0] }} {{ l[-1] }} {{ d.items is defined }} {{ l[5] }}|", {"d": {"a": 1}, "l": [10, 20, 30]}),
    ("slices", "{{ l[1:] }} {{ l[:2] }} {{ l[::-1] }} {{ l[-2:] }} {{ s[1:3] }} {{ s[::-1] }} {{ l[10:] }}", {"l": [1, 2, 3, 4], "s": "hello"}),
    ("tests", "{{ x is defined }} {{ y is defined }} {{ y is undefined }} {{ n is none }} {{ x is string }} {{ x is number }} {{ 3 is integer }} {{ 3.0 is float }} {{ d is mapping }} {{ l is iterable }} {{ 4 is even }} {{ 3 is odd }} {{ 6 is divisibleby 3 }} {{ x is not none }} {{ true is true }} {{ false is false }} {{ l is sequence }} {{ 'a' is lower }}", {"x": "s", "n": None, "d": {}, "l": []}),
    ("test_eq", "{{ 1 is eq 1 }} {{ 1 is equalto 2 }} {{ 'a' is in 'abc' }}", {}),
    ("filter_tojson", "{{ d | tojson }}|{{ d | tojson(indent=2) }}|{{ 'caf\u00e9 \"q\" \\\\ \n' | tojson }}|{{ [1, 2.5, none, true] | tojson }}|{{ {} | tojson }}|{{ [] | tojson(indent=4) }}", {"d": {"b": [1, {"c": "\u00e9\U0001F600"}], "a": None, "f": 1.0}}),
    ("filter_tojson_sort", "{{ d | tojson(sort_keys=true) }}", {"d": {"b": 1, "a": 2}}),
    ("filter_trim_strip", "[{{ '  a b  ' | trim }}][{{ '  x  '.strip() }}][{{ 'xxaxx'.strip('x') }}][{{ '  l'.lstrip() }}][{{ 'r  '.rstrip() }}]", {}),
    ("filter_length_count", "{{ l | length }} {{ s | length }} {{ d | count }} {{ 'h\u00e9\U0001F600' | length }}", {"l": [1, 2], "s": "abc", "d": {"a": 1}}),
    ("filter_case", "{{ 'aBc' | upper }} {{ 'AbC' | lower }} {{ 'hello world' | title }} {{ 'hELLO' | capitalize }}", {}),
    ("filter_default", "{{ missing | default('d') }} {{ '' | default('d') }} {{ '' | default('d', true) }} {{ none | default('d') }} {{ x | d('y') }}", {"x": 1}),
    ("filter_join_first_last", "{{ l | join(', ') }} {{ l | first }} {{ l | last }} {{ l | join }} {{ items | map(attribute='n') | join('-') }}", {"l": ["a", "b", "c"], "items": [{"n": 1}, {"n": 2}]}),
    ("filter_list_reverse_sort", "{{ 'abc' | list }} {{ l | reverse | list }} {{ l | sort }} {{ l | sort(reverse=true) }} {{ 'abc' | reverse }} {{ l | unique | list }}", {"l": [3, 1, 2, 1]}),
    ("filter_select", "{{ l | select('odd') | list }} {{ l | reject('odd') | list }} {{ m | selectattr('role', 'equalto', 'user') | map(attribute='c') | list }} {{ m | rejectattr('role', 'eq', 'user') | list | length }} {{ m | selectattr('flag') | list | length }}", {"l": [1, 2, 3, 4], "m": [{"role": "user", "c": 1, "flag": True}, {"role": "bot", "c": 2}]}),
    ("filter_replace_indent", "{{ 'a-b-c' | replace('-', '+') }} {{ 'a-b-c' | replace('-', '+', 1) }}|{{ 'x\ny\n\nz' | indent(2) }}|{{ 'x\ny' | indent(2, true) }}", {}),
    ("filter_int_float_string", "{{ '42' | int }} {{ 'x' | int }} {{ 3.9 | int }} {{ '2.5' | float }} {{ 5 | string }} {{ 5 | float }} {{ -3 | abs }} {{ 2.567 | round(2) }} {{ 2.5 | round }}", {}),
    ("filter_items_dictsort", "{{ d | items | list }} {{ d | dictsort }}", {"d": {"b": 2, "A": 1}}),
    ("filter_sum_min_max", "{{ [1, 2, 3] | sum }} {{ [3, 1, 2] | min }} {{ [3, 1, 2] | max }} {{ items | sum(attribute='n') }}", {"items": [{"n": 1}, {"n": 2}]}),
    ("string_methods", "{{ 'a,b,,c'.split(',') }} {{ 'a b  c'.split() }} {{ 'a=b=c'.split('=', 1) }} {{ 'hello'.startswith('he') }} {{ 'hello'.endswith(('x', 'lo')) }} {{ 'abc'.upper() }} {{ 'ABC'.lower() }} {{ 'aaa'.replace('a', 'b', 2) }} {{ 'x y'.title() }} {{ 'hello'.find('l') }} {{ 'hello'.count('l') }} {{ '-'.join(['a', 'b']) }} {{ 'l1\\nl2\\r\\nl3\\n'.splitlines() }} {{ '12'.isdigit() }}", {}),
    ("dict_methods", "{{ d.keys() | list }} {{ d.values() | list }} {{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 'def') }} {{ d.items() | list }}", {"d": {"a": 1, "b": [2]}}),
    ("list_methods", "{{ l.index(20) }} {{ l.count(10) }}", {"l": [10, 20, 10]}),
    ("raise_exception", "{% if x %}{{ raise_exception('bad input: ' ~ x) }}{% endif %}", {"x": "oops"}),
    ("undefined_attribute_error", "{{ missing.attr }}", {}),
    ("unsafe_append", "{% set l = [] %}{{ l.append(1) }}", {}),
    ("string_escapes", "{{ 'a\\tb\\\\c\\'d\\u00e9\\x41' }}|{{ \"q\\\"q\" }}", {}),
    ("nested_loops_loop_var", "{% for a in [1,2] %}{% for b in ['x','y'] %}{{ a }}{{ b }}{{ loop.index }} {% endfor %}{{ loop.index }};{% endfor %}", {}),
    ("percent_format", "{{ '%s-%d' % ('a', 3) }} {{ 'v=%s' % 5 }}", {}),
    ("range_variants", "{{ range(3) | list }} {{ range(1, 4) | list }} {{ range(0, 10, 3) | list }} {{ range(5, 0, -2) | list }}", {}),
    ("none_printing", "{{ none }}|{{ [none] }}|{{ x }}|{{ x is none }}", {"x": None}),
    ("qwen_like_tool_calls", MSGS and (
        "{%- for message in messages %}"
        "{%- if message.role == 'assistant' and message.tool_calls %}"
        "{%- for tool_call in message.tool_calls %}"
        "{%- if tool_call.function is defined %}{%- set tool_call = tool_call.function %}{%- endif %}"
        "\n<tool_call>\n{\"name\": \"{{ tool_call.name }}\", \"arguments\": {{ tool_call.arguments | tojson }}}\n</tool_call>"
        "{%- endfor %}"
        "{%- elif message.role == 'tool' %}"
        "{%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != 'tool') %}<|im_start|>user{%- endif %}"
        "\n<tool_response>\n{{ message.content }}\n</tool_response>"
        "{%- if loop.last or (messages[loop.index0 + 1].role != 'tool') %}<|im_end|>\n{%- endif %}"
        "{%- else %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n{%- endif %}"
        "{%- endfor %}"), {"messages": MSGS}),
    ("qwen3_like_reasoning", (
        "{%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}\n"
        "{%- for message in messages[::-1] %}\n"
        "    {%- set index = (messages|length - 1) - loop.index0 %}\n"
        "    {%- if ns.multi_step_tool and message.role == \"user\" and not(message.content.startswith('<tool_response>') and message.content.endswith('</tool_response>')) %}\n"
        "        {%- set ns.multi_step_tool = false %}\n"
        "        {%- set ns.last_query_index = index %}\n"
        "    {%- endif %}\n"
        "{%- endfor %}\n"
        "{%- for message in messages %}\n"
        "    {%- if message.content is string %}\n"
        "        {%- set content = message.content %}\n"
        "    {%- else %}\n"
        "        {%- set content = '' %}\n"
        "    {%- endif %}\n"
        "    {%- if '</think>' in content %}\n"
        "        {%- set reasoning_content = content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') %}\n"
        "        {%- set content = content.split('</think>')[-1].lstrip('\\n') %}\n"
        "    {%- endif %}\n"
        "    {{- '<|im_start|>' + message.role + '\\n' + content + (('\\n[r:' + reasoning_content + ']') if reasoning_content is defined else '') + '<|im_end|>\\n' }}\n"
        "{%- endfor %}\n"
        "{{- ns.last_query_index }}"), {"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "<think>\nhmm\n</think>\n\nans"}, {"role": "user", "content": "<tool_response>x</tool_response>"}, {"role": "assistant", "content": None}]}),
    ("llama3_like", (
        "{{- bos_token }}\n"
        "{%- if messages[0]['role'] == 'system' %}\n"
        "    {%- set system_message = messages[0]['content']|trim %}\n"
        "    {%- set messages = messages[1:] %}\n"
        "{%- else %}\n"
        "    {%- set system_message = \"\" %}\n"
        "{%- endif %}\n"
        "{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}\n"
        "{{- system_message }}\n"
        "{{- \"<|eot_id|>\" }}\n"
        "{%- for message in messages %}\n"
        "    {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}\n"
        "{%- endfor %}\n"
        "{%- if add_generation_prompt %}\n"
        "    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}\n"
        "{%- endif %}\n"), {"bos_token": "<|begin_of_text|>", "add_generation_prompt": True, "messages": [{"role": "system", "content": "  sys  "}, {"role": "user", "content": " hi "}]}),
    ("mistral_like_alternation", (
        "{%- for message in messages %}"
        "{%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        "{{- raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
        "{%- endif %}"
        "{%- if message['role'] == 'user' %}{{- '[INST] ' + message['content'] + ' [/INST]' }}"
        "{%- else %}{{- ' ' + message['content'] + eos_token }}{%- endif %}"
        "{%- endfor %}"), {"eos_token": "</s>", "messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}, {"role": "user", "content": "c"}]}),
    ("mistral_alternation_error", "{%- for m in messages %}{%- if (m.role == 'user') != (loop.index0 % 2 == 0) %}{{- raise_exception('roles must alternate') }}{%- endif %}{%- endfor %}", {"messages": [{"role": "assistant", "content": "x"}]}),
]


def main(out):
    cases = []
    for name, template, context in CASES:
        case = {"name": name, "template": template, "context": context}
        try:
            case["output"] = env.from_string(template).render(**context)
        except Exception as e:  # noqa: BLE001 - any Jinja error is a case where Java must fail too
            case["error"] = "%s: %s" % (type(e).__name__, e)
        cases.append(case)
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"source": "tools/reference/jinja_reference.py, Jinja2 " + jinja2.__version__, "cases": cases}, f, ensure_ascii=False, indent=1)
    print("wrote %d cases (%d errors) to %s" % (len(cases), sum("error" in c for c in cases), out))


if __name__ == "__main__":
    main(sys.argv[1])
