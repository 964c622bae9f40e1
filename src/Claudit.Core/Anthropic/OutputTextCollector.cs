using System.Text;

namespace Claudit.Core.Anthropic;

/// <summary>
/// The text an answer said, gathered by the parsers when content capture is on (never otherwise): text blocks
/// and text deltas in order, a tool call as a one-line marker, blocks on their own lines. Bounded: past
/// <c>maxChars</c> nothing more is kept and the text ends with <see cref="TruncationMarker"/>.
/// </summary>
internal sealed class OutputTextCollector(int maxChars)
{
    public const string TruncationMarker = " …[truncated]";

    private readonly StringBuilder _text = new();
    private bool _truncated;
    private bool _newBlock;

    /// <summary>A content block begins: what it says goes on a new line.</summary>
    public void StartBlock() => _newBlock = true;

    public void ToolUse(string name)
    {
        StartBlock();
        Append($"[tool_use: {name}]");
    }

    public void Append(string? text)
    {
        if (string.IsNullOrEmpty(text) || _truncated)
        {
            return;
        }

        if (_newBlock && _text.Length > 0)
        {
            _text.Append('\n');
        }

        _newBlock = false;
        var room = maxChars - _text.Length;
        if (text.Length <= room)
        {
            _text.Append(text);
            return;
        }

        _text.Append(text, 0, Math.Max(0, room));
        _truncated = true;
    }

    /// <summary>The text so far, marked when cut; null when the answer said nothing.</summary>
    public string? Text => _truncated ? _text + TruncationMarker : _text.Length == 0 ? null : _text.ToString();
}
