namespace Claudit.Mock;

/// <summary>Anthropic-shaped ids (<c>msg_…</c>, <c>req_…</c>, <c>toolu_…</c>) drawn from a seeded generator.</summary>
internal static class MockIds
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string New(string prefix, Random random)
    {
        Span<char> chars = stackalloc char[24];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Base62[random.Next(Base62.Length)];
        }

        return prefix + "011C" + new string(chars);
    }

    /// <summary>A generator that depends only on the seed and the value: runs with one seed repeat.</summary>
    public static Random Seeded(int seed, ulong value)
    {
        var mixed = ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ value;
        mixed ^= mixed >> 31;
        mixed *= 0xBF58476D1CE4E5B9UL;
        mixed ^= mixed >> 29;
        return new Random((int)(mixed ^ (mixed >> 32)));
    }

    /// <summary>A stable 64-bit FNV-1a hash of <paramref name="text"/> (seeds per-item generators, e.g. a batch's results).</summary>
    public static ulong Hash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
