namespace Claudit.Core.Records;

/// <summary>
/// Signs that an answer may not be what the caller wanted, as flags on the record: cut off at
/// <c>max_tokens</c>, a refusal (by stop reason or by phrasing), a suspiciously short answer, or text
/// that repeats itself. Heuristics, not verdicts: they make such calls easy to find and count.
/// Checks that need the output text run only where the text is at hand (the chat middleware); the
/// rest run on any record.
/// </summary>
public static class QualityFlags
{
    public const string MaxTokens = "max_tokens";
    public const string Refusal = "refusal";
    public const string ShortOutput = "short_output";
    public const string LowUniqueness = "low_uniqueness";

    /// <summary>Fewer output tokens than this, on a normal end, is suspicious.</summary>
    public const long ShortOutputTokens = 3;

    /// <summary>A text of at least this many words whose distinct words are fewer than <see cref="MinUniqueWordShare"/> of them repeats itself.</summary>
    public const int UniquenessMinWords = 40;

    public const double MinUniqueWordShare = 0.3;

    private static readonly string[] s_refusalPhrases =
    [
        "i can't help with", "i cannot help with", "i can't assist with", "i cannot assist with",
        "i'm not able to help", "i am not able to help", "i won't be able to", "i'm unable to", "i am unable to",
    ];

    /// <summary>The flags of a finished call; empty (the shared empty list) when there are none or the call failed.</summary>
    public static IReadOnlyList<string> Evaluate(CallRecord record, string? outputText = null)
    {
        if (record.IsError)
        {
            return [];
        }

        List<string>? flags = null;
        if (record.StopReason == "max_tokens")
        {
            (flags ??= []).Add(MaxTokens);
        }

        if (record.StopReason == "refusal" || (outputText is not null && SoundsLikeRefusal(outputText)))
        {
            (flags ??= []).Add(Refusal);
        }

        if (record.StopReason == "end_turn" && record.Usage is { } u && u.OutputTokens < ShortOutputTokens)
        {
            (flags ??= []).Add(ShortOutput);
        }

        if (outputText is not null && RepeatsItself(outputText))
        {
            (flags ??= []).Add(LowUniqueness);
        }

        return flags is null ? [] : flags;
    }

    /// <summary>A refusal opens the answer; the same words deep inside a long answer are usually quoted or hedged.</summary>
    public static bool SoundsLikeRefusal(string text)
    {
        var head = text.Length > 200 ? text[..200] : text;
        foreach (var phrase in s_refusalPhrases)
        {
            if (head.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static bool RepeatsItself(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length < UniquenessMinWords)
        {
            return false;
        }

        var distinct = new HashSet<string>(words, StringComparer.OrdinalIgnoreCase).Count;
        return distinct < MinUniqueWordShare * words.Length;
    }
}
