using System.Text;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>Parse tree of a template (Go's <c>text/template/parse</c> node types that LogQL uses).</summary>
internal abstract class TNode
{
    public int Pos;
}

internal sealed class ListNode : TNode
{
    public readonly List<TNode> Nodes = [];
}

internal sealed class TextNode(string text) : TNode
{
    public readonly byte[] Utf8 = Encoding.UTF8.GetBytes(text);
}

internal sealed class ActionNode(PipeNode pipe) : TNode
{
    public readonly PipeNode Pipe = pipe;
}

/// <summary><c>if</c> or <c>with</c> (With sets dot to the pipeline value).</summary>
internal sealed class IfNode(bool with, PipeNode pipe, ListNode list, ListNode? elseList) : TNode
{
    public readonly bool With = with;
    public readonly PipeNode Pipe = pipe;
    public readonly ListNode List = list;
    public readonly ListNode? Else = elseList;
}

internal sealed class RangeNode(PipeNode pipe, ListNode list, ListNode? elseList) : TNode
{
    public readonly PipeNode Pipe = pipe;
    public readonly ListNode List = list;
    public readonly ListNode? Else = elseList;
}

internal sealed class BreakNode : TNode;

internal sealed class ContinueNode : TNode;

internal sealed class PipeNode : TNode
{
    public bool IsAssign;
    public readonly List<string> Decl = [];
    public readonly List<CommandNode> Cmds = [];
}

internal sealed class CommandNode : TNode
{
    public readonly List<TNode> Args = [];
}

/// <summary><c>.a.b</c>.</summary>
internal sealed class FieldNode(string[] ident) : TNode
{
    public readonly string[] Ident = ident;
}

/// <summary><c>(pipe).a.b</c> or <c>$x</c>-less chains on a term.</summary>
internal sealed class ChainNode(TNode node, string[] field) : TNode
{
    public readonly TNode Node = node;
    public readonly string[] Field = field;
}

/// <summary><c>$x.a.b</c>: Ident[0] is the variable name including <c>$</c>.</summary>
internal sealed class VariableNode(string[] ident) : TNode
{
    public readonly string[] Ident = ident;
}

internal sealed class IdentifierNode(string name, TemplateFunction function) : TNode
{
    public readonly string Name = name;
    public readonly TemplateFunction Function = function;
}

internal sealed class DotNode : TNode;

internal sealed class NilNode : TNode;

internal sealed class BoolNode(bool value) : TNode
{
    public readonly bool Value = value;
}

internal sealed class StringNode(string text) : TNode
{
    public readonly string Text = text;
}

/// <summary>
/// A number constant with Go's "ideal constant" flags: an integral float literal (<c>2.0</c>, <c>1e3</c>)
/// is also an int, every int is also a float, and a rune literal is an int.
/// </summary>
internal sealed class NumberNode : TNode
{
    public bool IsInt;
    public bool IsFloat;
    public bool IsChar;
    public long Int;
    public double Float;
    public string Text = "";

    /// <summary>Go's <c>idealConstant</c> for an interface{} parameter: float if written like one, else int.</summary>
    public TemplateValue Ideal()
    {
        if (IsChar) return TemplateValue.Of(Int);
        bool hexInt = Text.Length > 2 && Text.TrimStart('+', '-').StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !Text.Contains('p', StringComparison.OrdinalIgnoreCase);
        if (IsFloat && !hexInt && Text.AsSpan().IndexOfAny(".eEpP") >= 0) return TemplateValue.Of(Float);
        if (IsInt) return TemplateValue.Of(Int);
        return TemplateValue.Of(Float);
    }
}
