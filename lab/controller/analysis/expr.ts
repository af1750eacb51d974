import jsep from 'jsep';

/**
 * Argo's successCondition / failureCondition language (Go `expr`), for the documented forms: `result`, `result[0]`,
 * `result.field`, literals, comparisons, `&&` `||` `!` (and `and` `or` `not`), arithmetic, `len()`, `isNaN()`, `isInf()`,
 * `default()`, `asInt()`, `asFloat()`. Parsed by jsep, evaluated over an allow-list: no `eval`, no access to prototypes,
 * no calls other than the listed functions. `==` is strict, as in Go expr.
 */
export class ExprError extends Error {}

type Node = jsep.Expression;
type Value = unknown;

const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  len: ([v]) => {
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (isPlainObject(v)) return Object.keys(v).length;
    throw new ExprError(`invalid argument for len (type ${typeName(v)})`);
  },
  isNaN: ([v]) => {
    if (typeof v !== 'number') throw new ExprError(`isNaN expects a float, got ${typeName(v)}`);
    return Number.isNaN(v);
  },
  isInf: ([v]) => {
    if (typeof v !== 'number') throw new ExprError(`isInf expects a float, got ${typeName(v)}`);
    return v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY;
  },
  default: ([v, d]) => (v === null || v === undefined ? d : v),
  asInt: ([v]) => {
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || Number.isNaN(n)) throw new ExprError(`asInt: cannot convert ${String(v)}`);
    return Math.trunc(n);
  },
  asFloat: ([v]) => {
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || (typeof v === 'string' && v.trim() === ''))
      throw new ExprError(`asFloat: cannot convert ${String(v)}`);
    return n;
  },
};

const FORBIDDEN_PROPS = new Set(['constructor', '__proto__', 'prototype']);

/** Rewrites Go expr's word operators outside string literals to the symbols jsep knows. */
function rewriteWordOperators(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const ch = src[i] ?? '';
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== ch) j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(src.slice(i))?.[0];
    if (word) {
      const prev = out.trimEnd().at(-1);
      const afterDot = prev === '.';
      if (!afterDot && word === 'and') out += '&&';
      else if (!afterDot && word === 'or') out += '||';
      else if (!afterDot && word === 'not') out += '!';
      else out += word;
      i += word.length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

export function parseExpr(src: string): Node {
  try {
    return jsep(rewriteWordOperators(src));
  } catch (e) {
    throw new ExprError(`cannot parse "${src}": ${(e as Error).message}`);
  }
}

/** Evaluates `src` with `env` (normally `{result}`); throws ExprError on anything outside the language. */
export function evaluateExpr(src: string, env: Record<string, Value>): Value {
  return evalNode(parseExpr(src), env);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  return typeof v === 'object' ? 'map' : typeof v;
}

function evalNode(n: Node, env: Record<string, Value>): Value {
  switch (n.type) {
    case 'Literal':
      return (n as jsep.Literal).value;
    case 'Identifier': {
      const name = (n as jsep.Identifier).name;
      if (name === 'nil') return null;
      if (!Object.hasOwn(env, name)) throw new ExprError(`unknown name ${name}`);
      return env[name];
    }
    case 'ArrayExpression':
      return (n as jsep.ArrayExpression).elements.map((e) => (e ? evalNode(e, env) : null));
    case 'MemberExpression':
      return member(n as jsep.MemberExpression, env);
    case 'CallExpression': {
      const call = n as jsep.CallExpression;
      if (call.callee.type !== 'Identifier')
        throw new ExprError('only len, isNaN, isInf, default, asInt, asFloat may be called');
      const name = (call.callee as jsep.Identifier).name;
      const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
      if (!fn) throw new ExprError(`unknown function ${name}`);
      return fn(call.arguments.map((a) => evalNode(a, env)));
    }
    case 'UnaryExpression': {
      const u = n as jsep.UnaryExpression;
      const v = evalNode(u.argument, env);
      if (u.operator === '!') {
        if (typeof v !== 'boolean') throw new ExprError(`invalid operation: !${typeName(v)}`);
        return !v;
      }
      if (u.operator === '-' || u.operator === '+') {
        if (typeof v !== 'number') throw new ExprError(`invalid operation: ${u.operator}${typeName(v)}`);
        return u.operator === '-' ? -v : v;
      }
      throw new ExprError(`operator ${u.operator} is not allowed`);
    }
    case 'BinaryExpression':
      return binary(n as jsep.BinaryExpression, env);
    case 'ConditionalExpression': {
      const c = n as jsep.ConditionalExpression;
      const test = evalNode(c.test, env);
      if (typeof test !== 'boolean') throw new ExprError('non-bool condition in ternary');
      return evalNode(test ? c.consequent : c.alternate, env);
    }
    default:
      throw new ExprError(`${n.type} is not allowed`);
  }
}

function member(m: jsep.MemberExpression, env: Record<string, Value>): Value {
  const obj = evalNode(m.object, env);
  let key: Value;
  if (m.computed) key = evalNode(m.property, env);
  else if (m.property.type === 'Identifier') key = (m.property as jsep.Identifier).name;
  else throw new ExprError('invalid member access');
  if (typeof key === 'string' && FORBIDDEN_PROPS.has(key)) throw new ExprError(`field ${key} is not allowed`);
  if (Array.isArray(obj) || typeof obj === 'string') {
    if (typeof key !== 'number' || !Number.isInteger(key))
      throw new ExprError('array index must be an integer');
    const idx = key < 0 ? obj.length + key : key;
    if (idx < 0 || idx >= obj.length)
      throw new ExprError(`index out of range: ${key} (array of length ${obj.length})`);
    return obj[idx];
  }
  if (isPlainObject(obj)) {
    if (typeof key !== 'string') throw new ExprError('map key must be a string');
    return Object.hasOwn(obj, key) ? obj[key] : null;
  }
  throw new ExprError(`cannot fetch ${String(key)} from ${typeName(obj)}`);
}

function binary(b: jsep.BinaryExpression, env: Record<string, Value>): Value {
  const op = b.operator;
  if (op === '&&' || op === '||') {
    const l = evalNode(b.left, env);
    if (typeof l !== 'boolean') throw new ExprError(`invalid operation: ${typeName(l)} ${op} ...`);
    if (op === '&&' && !l) return false;
    if (op === '||' && l) return true;
    const r = evalNode(b.right, env);
    if (typeof r !== 'boolean') throw new ExprError(`invalid operation: ... ${op} ${typeName(r)}`);
    return r;
  }
  const l = evalNode(b.left, env);
  const r = evalNode(b.right, env);
  switch (op) {
    case '==':
      return strictEqual(l, r);
    case '!=':
      return !strictEqual(l, r);
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const ok =
        (typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string');
      if (!ok) throw new ExprError(`invalid operation: ${typeName(l)} ${op} ${typeName(r)}`);
      const a = l as number | string;
      const c = r as number | string;
      return op === '<' ? a < c : op === '>' ? a > c : op === '<=' ? a <= c : a >= c;
    }
    case '+':
      if (typeof l === 'string' && typeof r === 'string') return l + r;
      return arith(l, r, op);
    case '-':
    case '*':
    case '/':
    case '%':
    case '**':
      return arith(l, r, op);
    default:
      throw new ExprError(`operator ${op} is not allowed`);
  }
}

function arith(l: Value, r: Value, op: string): number {
  if (typeof l !== 'number' || typeof r !== 'number')
    throw new ExprError(`invalid operation: ${typeName(l)} ${op} ${typeName(r)}`);
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    default:
      return l ** r;
  }
}

function strictEqual(a: Value, b: Value): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => strictEqual(x, b[i]));
  return a === b;
}
