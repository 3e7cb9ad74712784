using System.Globalization;
using System.Text;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// Executes parsed templates (Go's <c>text/template</c> exec.go semantics) against an entry's labels.
/// One executor per <see cref="LogLine"/>: it owns the output buffer, the variable stack and argument
/// scratch, so templates themselves stay immutable. Errors are sticky (<see cref="Fail"/> records the
/// first; evaluation unwinds by checking <see cref="Failed"/>) rather than exceptions, because a
/// template can fail on every line of a query and each failure is an ordinary per-line outcome.
/// </summary>
internal sealed class TemplateExecutor(LogLine entry)
{
    public readonly LogLine Entry = entry;

    private byte[] _out = new byte[512];
    private int _outLength;
    private readonly List<(string Name, TemplateValue Value)> _vars = [];
    private int _labels;
    private string _name = "";
    private TNode? _node;
    private bool _break, _continue;

    public string? Error { get; private set; }

    public bool Failed => Error != null;

    public ReadOnlySpan<byte> Output => _out.AsSpan(0, _outLength);

    /// <summary>
    /// Runs <paramref name="root"/> with the label map taken from the entry's visible labels, which the
    /// caller collected (<see cref="LogLine.CollectVisible"/>) into <paramref name="labelCount"/> slots.
    /// </summary>
    public bool Execute(ListNode root, string name, int labelCount)
    {
        _outLength = 0;
        _vars.Clear();
        _vars.Add(("$", TemplateValue.Root));
        _labels = labelCount;
        _name = name;
        Error = null;
        _break = _continue = false;
        Walk(TemplateValue.Root, root);
        return Error == null;
    }

    public void Fail(string message)
    {
        if (Error != null) return;
        string at = _node switch
        {
            FieldNode f => "<." + string.Join('.', f.Ident) + ">",
            IdentifierNode id => "<" + id.Name + ">",
            VariableNode v => "<" + string.Join('.', v.Ident) + ">",
            _ => "",
        };
        Error = at.Length == 0
            ? $"template: {_name}: executing \"{_name}\": {message}"
            : $"template: {_name}: executing \"{_name}\" at {at}: {message}";
    }

    // ---- walking ----

    private void Walk(TemplateValue dot, TNode node)
    {
        if (Failed || _break || _continue) return;
        switch (node)
        {
            case ListNode list:
                foreach (var n in list.Nodes)
                {
                    Walk(dot, n);
                    if (Failed || _break || _continue) return;
                }
                break;
            case TextNode text:
                Append(text.Utf8);
                break;
            case ActionNode action:
                var v = EvalPipeline(dot, action.Pipe);
                if (!Failed && action.Pipe.Decl.Count == 0) Print(v);
                break;
            case IfNode ifn:
                int mark = _vars.Count;
                var cond = EvalPipeline(dot, ifn.Pipe);
                if (Failed) return;
                if (IsTrueValue(cond)) Walk(ifn.With ? cond : dot, ifn.List);
                else if (ifn.Else != null) Walk(dot, ifn.Else);
                _vars.RemoveRange(mark, _vars.Count - mark);
                break;
            case RangeNode range:
                WalkRange(dot, range);
                break;
            case BreakNode:
                _break = true;
                break;
            case ContinueNode:
                _continue = true;
                break;
        }
    }

    private void WalkRange(TemplateValue dot, RangeNode r)
    {
        int mark = _vars.Count;
        var val = EvalPipeline(dot, r.Pipe);
        if (Failed) return;
        // The declarations were pushed with the whole value; the loop rebinds them per element.
        int declBase = _vars.Count - (r.Pipe.IsAssign ? 0 : r.Pipe.Decl.Count);
        int iterations = 0;
        switch (val.Kind)
        {
            case ValueKind.Map:
                var order = SortedLabelIndexes();
                foreach (int i in order)
                {
                    var key = TemplateValue.Of(Entry.Visible(_labels)[i].Name);
                    var elem = LabelValueAt(i);
                    if (!RangeStep(r, declBase, key, elem)) break;
                    iterations++;
                }
                break;
            case ValueKind.Int:
                if (r.Pipe.Decl.Count > 1)
                {
                    Fail($"can't use {val.I} to iterate over more than one variable");
                    return;
                }
                for (long i = 0; i < val.I; i++)
                {
                    if (!RangeStep(r, declBase, TemplateValue.Of(i), TemplateValue.Of(i))) break;
                    iterations++;
                }
                break;
            default:
                Fail($"range can't iterate over {Format(val)}");
                return;
        }
        if (iterations == 0 && r.Else != null) Walk(dot, r.Else);
        _vars.RemoveRange(mark, _vars.Count - mark);
    }

    private bool RangeStep(RangeNode r, int declBase, TemplateValue key, TemplateValue elem)
    {
        var decl = r.Pipe.Decl;
        if (decl.Count == 1) SetVarAt(r.Pipe.IsAssign, declBase, decl[0], elem);
        else if (decl.Count == 2)
        {
            SetVarAt(r.Pipe.IsAssign, declBase, decl[0], key);
            SetVarAt(r.Pipe.IsAssign, declBase + 1, decl[1], elem);
        }
        int mark = _vars.Count;
        Walk(elem, r.List);
        _vars.RemoveRange(mark, _vars.Count - mark);
        _continue = false;
        if (_break)
        {
            _break = false;
            return false;
        }
        return !Failed;
    }

    private void SetVarAt(bool assign, int index, string name, TemplateValue value)
    {
        if (assign) SetVar(name, value);
        else _vars[index] = (name, value);
    }

    private int[] SortedLabelIndexes()
    {
        var slots = Entry.Visible(_labels);
        var idx = new int[slots.Length];
        for (int i = 0; i < idx.Length; i++) idx[i] = i;
        var names = new string[slots.Length];
        for (int i = 0; i < names.Length; i++) names[i] = slots[i].Name;
        Array.Sort(names, idx, Strata.Storage.Labels.Utf8Order.Instance);
        return idx;
    }

    // ---- pipelines ----

    public TemplateValue EvalPipeline(TemplateValue dot, PipeNode pipe)
    {
        var value = TemplateValue.Nil;
        bool hasFinal = false;
        foreach (var cmd in pipe.Cmds)
        {
            value = EvalCommand(dot, cmd, hasFinal, value);
            hasFinal = true;
            if (Failed) return TemplateValue.Nil;
        }
        foreach (string v in pipe.Decl)
        {
            if (pipe.IsAssign) SetVar(v, value);
            else _vars.Add((v, value));
        }
        return value;
    }

    private void SetVar(string name, TemplateValue value)
    {
        for (int i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name)
            {
                _vars[i] = (name, value);
                return;
            }
        }
        Fail($"undefined variable: {name}");
    }

    private TemplateValue GetVar(string name)
    {
        for (int i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name) return _vars[i].Value;
        }
        Fail($"undefined variable: {name}");
        return TemplateValue.Nil;
    }

    private TemplateValue EvalCommand(TemplateValue dot, CommandNode cmd, bool hasFinal, TemplateValue final)
    {
        var first = cmd.Args[0];
        _node = first;
        switch (first)
        {
            case FieldNode f:
                return EvalFields(dot, f.Ident, 0, cmd.Args.Count > 1 || hasFinal);
            case ChainNode c:
                if (cmd.Args.Count > 1 || hasFinal)
                {
                    Fail($"{string.Join('.', c.Field)} is not a method but has arguments");
                    return TemplateValue.Nil;
                }
                var receiver = EvalArgValue(dot, c.Node);
                return Failed ? TemplateValue.Nil : EvalFields(receiver, c.Field, 0, cmd.Args.Count > 1 || hasFinal);
            case IdentifierNode id:
                return EvalFunction(dot, id, cmd.Args, hasFinal, final);
            case PipeNode p:
                if (!NotAFunction(cmd.Args, hasFinal)) return TemplateValue.Nil;
                return EvalPipeline(dot, p);
            case VariableNode v:
                var value = GetVar(v.Ident[0]);
                if (v.Ident.Length == 1)
                {
                    if (!NotAFunction(cmd.Args, hasFinal)) return TemplateValue.Nil;
                    return value;
                }
                return EvalFields(value, v.Ident, 1, cmd.Args.Count > 1 || hasFinal);
        }
        if (!NotAFunction(cmd.Args, hasFinal)) return TemplateValue.Nil;
        switch (first)
        {
            case BoolNode b: return TemplateValue.Of(b.Value);
            case DotNode: return dot;
            case NilNode:
                Fail("nil is not a command");
                return TemplateValue.Nil;
            case NumberNode n: return n.Ideal();
            case StringNode s: return TemplateValue.Of(s.Text);
        }
        Fail("can't evaluate command");
        return TemplateValue.Nil;
    }

    private bool NotAFunction(List<TNode> args, bool hasFinal)
    {
        if (args.Count > 1 || hasFinal)
        {
            Fail("can't give argument to non-function " + Describe(args[0]));
            return false;
        }
        return true;
    }

    private static string Describe(TNode n) => n switch
    {
        FieldNode f => "." + string.Join('.', f.Ident),
        VariableNode v => string.Join('.', v.Ident),
        StringNode s => GoStrconv.Quote(s.Text),
        NumberNode num => num.Text,
        BoolNode b => b.Value ? "true" : "false",
        DotNode => ".",
        _ => n.GetType().Name,
    };

    // Evaluates a field chain starting at receiver; fields[start..] are the names.
    private TemplateValue EvalFields(TemplateValue receiver, string[] fields, int start, bool hasArgs)
    {
        var value = receiver;
        for (int i = start; i < fields.Length; i++)
        {
            bool last = i == fields.Length - 1;
            if (last && hasArgs)
            {
                Fail($"{fields[i]} is not a method but has arguments");
                return TemplateValue.Nil;
            }
            value = Field(value, fields[i]);
            if (Failed) return TemplateValue.Nil;
        }
        return value;
    }

    private TemplateValue Field(TemplateValue receiver, string name)
    {
        if (receiver.Kind == ValueKind.Map)
        {
            var slots = Entry.Visible(_labels);
            for (int i = 0; i < slots.Length; i++)
            {
                if (slots[i].Name == name) return LabelValueAt(i);
            }
            // missingkey=zero on map[string]string: the zero string.
            return TemplateValue.EmptyString;
        }
        if (receiver.Kind == ValueKind.Nil)
        {
            Fail($"nil pointer evaluating interface {{}}.{name}");
            return TemplateValue.Nil;
        }
        Fail($"can't evaluate field {name} in type {receiver.TypeName}");
        return TemplateValue.Nil;
    }

    private TemplateValue LabelValueAt(int i)
    {
        var s = Entry.Visible(_labels)[i];
        return s.Value != null ? TemplateValue.Of(s.Value) : TemplateValue.Utf8(s.Offset, s.Length);
    }

    /// <summary>Looks a label up in the template's map (used by <c>index</c>).</summary>
    public TemplateValue Lookup(string name) => Field(TemplateValue.Root, name);

    public int LabelCount => _labels;

    private static readonly List<TNode> NoArgs = [new DotNode()];

    // Evaluates a node used as an argument (Go's evalArg for an interface{} parameter).
    private TemplateValue EvalArgValue(TemplateValue dot, TNode n)
    {
        _node = n;
        switch (n)
        {
            case DotNode: return dot;
            case NilNode: return TemplateValue.Nil;
            case FieldNode f: return EvalFields(dot, f.Ident, 0, false);
            case VariableNode v:
                var value = GetVar(v.Ident[0]);
                return v.Ident.Length == 1 ? value : EvalFields(value, v.Ident, 1, false);
            case PipeNode p: return EvalPipeline(dot, p);
            case IdentifierNode id: return EvalFunction(dot, id, NoArgs, false, TemplateValue.Nil);
            case ChainNode c:
                var receiver = EvalArgValue(dot, c.Node);
                return Failed ? TemplateValue.Nil : EvalFields(receiver, c.Field, 0, false);
            case BoolNode b: return TemplateValue.Of(b.Value);
            case NumberNode num: return num.Ideal();
            case StringNode s: return TemplateValue.Of(s.Text);
        }
        Fail("can't handle argument");
        return TemplateValue.Nil;
    }

    // Go's evalArg: constants convert to the parameter type; computed values must already have it.
    private TemplateValue EvalArg(TemplateValue dot, TNode n, ParamKind kind)
    {
        switch (n)
        {
            case NumberNode num:
                switch (kind)
                {
                    case ParamKind.Any: return num.Ideal();
                    case ParamKind.Int when num.IsInt: return TemplateValue.Of(num.Int);
                    case ParamKind.Float when num.IsFloat: return TemplateValue.Of(num.Float);
                    default:
                        FailExpected(kind, num.Text);
                        return TemplateValue.Nil;
                }
            case StringNode s:
                if (kind is ParamKind.String or ParamKind.Any) return TemplateValue.Of(s.Text);
                FailExpected(kind, GoStrconv.Quote(s.Text));
                return TemplateValue.Nil;
            case BoolNode b:
                if (kind is ParamKind.Bool or ParamKind.Any) return TemplateValue.Of(b.Value);
                FailExpected(kind, b.Value ? "true" : "false");
                return TemplateValue.Nil;
            case NilNode:
                if (kind == ParamKind.Any) return TemplateValue.Nil;
                Fail($"cannot assign nil to {KindName(kind)}");
                return TemplateValue.Nil;
        }
        var v = EvalArgValue(dot, n);
        if (Failed) return TemplateValue.Nil;
        return CheckType(v, kind) ? v : TemplateValue.Nil;
    }

    // Go's evalInteger/evalFloat/evalString/evalBool wording for a constant of the wrong kind.
    private void FailExpected(ParamKind kind, string found) => Fail(kind switch
    {
        ParamKind.Int => $"expected integer; found {found}",
        ParamKind.Float => $"expected float; found {found}",
        ParamKind.String => $"expected string; found {found}",
        ParamKind.Bool => $"expected bool; found {found}",
        _ => $"can't handle {found} for arg of type {KindName(kind)}",
    });

    private bool CheckType(TemplateValue v, ParamKind kind)
    {
        bool ok = kind switch
        {
            ParamKind.Any => true,
            ParamKind.String => v.IsStringLike,
            ParamKind.Int => v.Kind == ValueKind.Int,
            ParamKind.Float => v.Kind == ValueKind.Float,
            ParamKind.Bool => v.Kind == ValueKind.Bool,
            ParamKind.Time => v.Kind == ValueKind.Time,
            _ => false,
        };
        if (!ok)
        {
            if (v.Kind == ValueKind.Nil) Fail($"invalid value; expected {KindName(kind)}");
            else Fail($"wrong type for value; expected {KindName(kind)}; got {v.TypeName}");
        }
        return ok;
    }

    private static string KindName(ParamKind k) => k switch
    {
        ParamKind.String => "string",
        ParamKind.Int => "int",
        ParamKind.Float => "float64",
        ParamKind.Bool => "bool",
        ParamKind.Time => "time.Time",
        _ => "interface {}",
    };

    private TemplateValue[] _argPool = new TemplateValue[64];
    private int _argTop;

    private TemplateValue EvalFunction(TemplateValue dot, IdentifierNode id, List<TNode> args, bool hasFinal, TemplateValue final)
    {
        _node = id;
        var fn = id.Function;
        int n = args.Count - 1 + (hasFinal ? 1 : 0);
        if (fn.Lazy != null)
        {
            // and/or evaluate their operands one at a time and stop early (Go 1.18+).
            if (n == 0)
            {
                Fail($"wrong number of args for {fn.Name}: want at least 1 got 0");
                return TemplateValue.Nil;
            }
            var v = TemplateValue.Nil;
            for (int i = 0; i < n; i++)
            {
                v = i < args.Count - 1 ? EvalArgValue(dot, args[i + 1]) : final;
                if (Failed) return TemplateValue.Nil;
                bool t = IsTrueValue(v);
                if (fn.Lazy == "and" ? !t : t) return v;
            }
            return v;
        }
        int fixedCount = fn.Params.Length;
        if (fn.Variadic == null ? n != fixedCount : n < fixedCount)
        {
            Fail(fn.Variadic == null
                ? $"wrong number of args for {fn.Name}: want {fixedCount} got {n}"
                : $"wrong number of args for {fn.Name}: want at least {fixedCount} got {n}");
            return TemplateValue.Nil;
        }
        if (_argTop + n > _argPool.Length) Array.Resize(ref _argPool, Math.Max(_argPool.Length * 2, _argTop + n));
        int baseIndex = _argTop;
        _argTop += n;
        try
        {
            for (int i = 0; i < n; i++)
            {
                var kind = i < fixedCount ? fn.Params[i] : fn.Variadic!.Value;
                TemplateValue v;
                if (i < args.Count - 1) v = EvalArg(dot, args[i + 1], kind);
                else
                {
                    v = final;
                    if (!CheckType(v, kind)) return TemplateValue.Nil;
                }
                if (Failed) return TemplateValue.Nil;
                _argPool[baseIndex + i] = v;
            }
            _node = id;
            return fn.Impl!(this, _argPool.AsSpan(baseIndex, n));
        }
        finally
        {
            _argTop = baseIndex;
        }
    }

    /// <summary>Records a function's own error the way Go reports it: "error calling f: …".</summary>
    public TemplateValue CallError(string function, string message)
    {
        Fail($"error calling {function}: {message}");
        return TemplateValue.Nil;
    }

    // ---- values ----

    /// <summary>Go's <c>isTrue</c>.</summary>
    public static bool IsTrue(TemplateValue v) => v.Kind switch
    {
        ValueKind.Nil => false,
        ValueKind.Bool => v.I != 0,
        ValueKind.Int => v.I != 0,
        ValueKind.Float => v.F != 0,
        ValueKind.String => v.StringRef!.Length > 0,
        ValueKind.Utf8 => v.N > 0,
        _ => true,
    };

    public bool IsTrueValue(TemplateValue v) => v.Kind == ValueKind.Map ? _labels > 0 : IsTrue(v);

    /// <summary>The string of a string-like value (decodes arena bytes, allocating once per call).</summary>
    public string Str(TemplateValue v) => v.Kind switch
    {
        ValueKind.String => v.StringRef!,
        ValueKind.Utf8 => Encoding.UTF8.GetString(Entry.ArenaSpan((int)v.I, v.N)),
        _ => Format(v),
    };

    /// <summary>fmt's <c>%v</c> of a value.</summary>
    public string Format(TemplateValue v) => v.Kind switch
    {
        ValueKind.Nil => "<nil>",
        ValueKind.String => v.StringRef!,
        ValueKind.Utf8 => Str(v),
        ValueKind.Int => v.I.ToString(CultureInfo.InvariantCulture),
        ValueKind.Float => GoStrconv.FormatFloatShortest(v.F),
        ValueKind.Bool => v.I != 0 ? "true" : "false",
        ValueKind.Time => GoTime.ToGoString(v),
        _ => FormatMap(),
    };

    private string FormatMap()
    {
        var sb = new StringBuilder("map[");
        var order = SortedLabelIndexes();
        for (int k = 0; k < order.Length; k++)
        {
            if (k > 0) sb.Append(' ');
            sb.Append(Entry.Visible(_labels)[order[k]].Name).Append(':').Append(Str(LabelValueAt(order[k])));
        }
        return sb.Append(']').ToString();
    }

    private void Print(TemplateValue v)
    {
        switch (v.Kind)
        {
            case ValueKind.Utf8:
                Append(Entry.ArenaSpan((int)v.I, v.N));
                break;
            case ValueKind.Nil:
                Append("<no value>"u8);
                break;
            default:
                AppendString(Format(v));
                break;
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_outLength + bytes.Length > _out.Length) Array.Resize(ref _out, Math.Max(_out.Length * 2, _outLength + bytes.Length));
        bytes.CopyTo(_out.AsSpan(_outLength));
        _outLength += bytes.Length;
    }

    private void AppendString(string s)
    {
        int max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (_outLength + max > _out.Length) Array.Resize(ref _out, Math.Max(_out.Length * 2, _outLength + max));
        _outLength += Encoding.UTF8.GetBytes(s, _out.AsSpan(_outLength));
    }
}
