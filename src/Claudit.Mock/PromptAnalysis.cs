using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Claudit.Mock;

/// <summary>
/// Counts a request's input tokens deterministically (about four characters a token, plus a few
/// tokens of structure per message and tool) and finds its <c>cache_control</c> breakpoints, in the
/// order the API caches: tools, then system, then messages.
/// </summary>
internal sealed class PromptAnalysis
{
    private const int ImageTokens = 1_600;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly List<Breakpoint> _breakpoints = [];

    private PromptAnalysis(string model)
    {
        _hash.AppendData(Encoding.UTF8.GetBytes(model));
    }

    public long TotalTokens { get; private set; }

    public IReadOnlyList<Breakpoint> Breakpoints => _breakpoints;

    /// <summary>The text of the last user turn (the mock's answer takes its cue from it).</summary>
    public string LastUserText { get; private set; } = "";

    /// <summary>A hash of the whole prompt: the seed of the deterministic answer.</summary>
    public ulong PromptHash { get; private set; }

    public static PromptAnalysis Analyse(string model, JsonElement body)
    {
        var a = new PromptAnalysis(model);
        if (body.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            a.Mark("tools"u8);
            foreach (var tool in tools.EnumerateArray())
            {
                a.Block(tool, structure: 8);
            }
        }

        if (body.TryGetProperty("system", out var system))
        {
            a.Mark("system"u8);
            if (system.ValueKind == JsonValueKind.String)
            {
                a.Block(system, structure: 2);
            }
            else if (system.ValueKind == JsonValueKind.Array)
            {
                foreach (var block in system.EnumerateArray())
                {
                    a.Block(block, structure: 1);
                }
            }
        }

        if (body.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                a.TotalTokens += 3;
                var isUser = message.TryGetProperty("role", out var role) && role.ValueEquals("user"u8);
                a.Mark(role.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(role.GetString()!) : "?"u8);
                if (!message.TryGetProperty("content", out var content))
                {
                    continue;
                }

                if (content.ValueKind == JsonValueKind.String)
                {
                    a.Block(content, structure: 0);
                    if (isUser)
                    {
                        a.LastUserText = content.GetString() ?? "";
                    }
                }
                else if (content.ValueKind == JsonValueKind.Array)
                {
                    foreach (var block in content.EnumerateArray())
                    {
                        a.Block(block, structure: 1);
                        if (isUser && block.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                        {
                            a.LastUserText = text.GetString() ?? "";
                        }
                    }
                }
            }
        }

        Span<byte> digest = stackalloc byte[32];
        a._hash.GetCurrentHash(digest);
        a.PromptHash = BinaryPrimitives.ReadUInt64LittleEndian(digest);
        a._hash.Dispose();
        return a;
    }

    /// <summary>
    /// Hashes where the next blocks sit (section, or a message's role): the same text somewhere else is
    /// another prefix, as for the API, which caches the rendered prompt.
    /// </summary>
    private void Mark(ReadOnlySpan<byte> where)
    {
        _hash.AppendData("\u0000"u8);
        _hash.AppendData(where);
    }

    private void Block(JsonElement block, int structure)
    {
        TotalTokens += structure + Tokens(block);
        _hash.AppendData(Encoding.UTF8.GetBytes(block.GetRawText()));
        if (block.ValueKind == JsonValueKind.Object && block.TryGetProperty("cache_control", out var cc) && cc.ValueKind == JsonValueKind.Object)
        {
            var ttl = cc.TryGetProperty("ttl", out var t) && t.ValueEquals("1h"u8) ? TimeSpan.FromHours(1) : TimeSpan.FromMinutes(5);
            Span<byte> digest = stackalloc byte[32];
            _hash.GetCurrentHash(digest);
            _breakpoints.Add(new Breakpoint(TotalTokens, BinaryPrimitives.ReadUInt128LittleEndian(digest), ttl));
        }
    }

    /// <summary>Tokens of a JSON value: text at ~4 characters a token, images at a flat rate, keys ignored.</summary>
    private static long Tokens(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                return (e.GetString()!.Length + 3) / 4;
            case JsonValueKind.Number:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return 1;
            case JsonValueKind.Array:
                long sum = 0;
                foreach (var item in e.EnumerateArray())
                {
                    sum += Tokens(item);
                }

                return sum;
            case JsonValueKind.Object:
                if (e.TryGetProperty("type", out var type) && type.ValueEquals("image"u8))
                {
                    return ImageTokens;
                }

                long total = 0;
                foreach (var p in e.EnumerateObject())
                {
                    if (p.NameEquals("cache_control"u8) || p.NameEquals("type"u8))
                    {
                        continue;
                    }

                    total += Tokens(p.Value) + (p.NameEquals("text"u8) ? 0 : 1);
                }

                return total;
            default:
                return 0;
        }
    }

    /// <summary>A cache breakpoint: the prompt up to here (tokens, hash) may be cached for <see cref="Ttl"/>.</summary>
    internal readonly record struct Breakpoint(long TokensBefore, UInt128 Prefix, TimeSpan Ttl);
}
