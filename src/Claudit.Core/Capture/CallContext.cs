using System.Diagnostics;
using Claudit.Core.Records;

namespace Claudit.Core.Capture;

/// <summary>
/// What a way in knows about a call beyond its bytes, handed to <see cref="CallFinisher"/> with the
/// capture: who it was for, whose credential it used (for retry linking), how it relates to its
/// other attempts, where its span goes, and what the opt-in guards measured before it was sent.
/// </summary>
public readonly record struct CallContext
{
    private readonly CallTags? _tags;

    /// <summary>The call's tags as its way in assembled them (headers, ambient scope, enrichers); none by default.</summary>
    public CallTags Tags
    {
        get => _tags ?? CallTags.Empty;
        init => _tags = value;
    }

    /// <summary><see cref="CredentialFingerprint"/> of the caller's key: retries are linked within one credential.</summary>
    public ulong Credential { get; init; }

    /// <summary>
    /// True when the way in knew the first attempt exactly (the chat middleware's marker, the SDK's call
    /// span); then <see cref="Parent"/> is the link, or null for a first attempt. False: the finisher's
    /// <see cref="RetryLinker"/> matches the attempt by credential, prompt and model.
    /// </summary>
    public bool ParentKnown { get; init; }

    public Guid? Parent { get; init; }

    /// <summary>A span that already stands for this call (the SDK's); Claudit's attributes go onto it.</summary>
    public Activity? LiveSpan { get; init; }

    /// <summary>
    /// The call's span already exists where it was observed (an OTLP span Claudit ingested): the finisher
    /// records its metrics but emits no span of its own for it.
    /// </summary>
    public bool SpanElsewhere { get; init; }

    /// <summary><c>server.address</c> / <c>server.port</c> of Claudit's own span.</summary>
    public string? ServerAddress { get; init; }

    public int? ServerPort { get; init; }

    /// <summary>The model's context window, when a pre-flight looked it up.</summary>
    public long? ContextWindow { get; init; }

    /// <summary>The pre-flight's estimate of the input's share of the window, for calls that report no usage.</summary>
    public double? EstimatedUtilisation { get; init; }

    /// <summary>The answer's text, where the way in has it (the chat middleware): the text-based quality checks read it.</summary>
    public string? OutputText { get; init; }

    /// <summary>
    /// What the way in holds for the call until it is finished (the gateway's budget reservation): the
    /// finisher hands it the priced record, so it settles wherever and however the call ended.
    /// </summary>
    public ICallSettlement? Settlement { get; init; }
}
