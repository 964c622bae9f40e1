using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Claudit.Instrumentation.Implementation;

/// <summary>
/// How an HTTP attempt finds the first attempt of its logical call, so that an SDK's retries share a
/// parent. Each retry is a new <see cref="HttpRequestMessage"/>, and AsyncLocal values set in the
/// handler do not flow back up to the SDK's retry loop, so the link must come from something that
/// spans the attempts: the chat middleware's marker when there is one, else the official SDK's call
/// span (the SDK puts it in every attempt's request options while its tracing is listened to);
/// failing both, Core's RetryLinker matches a retry to a failed first attempt by credential, prompt
/// and model when the attempt ends.
/// </summary>
internal readonly record struct AttemptLink(bool Exact, Guid? Parent)
{
    /// <summary>The official SDK's activity source: its span for a call is where Claudit's attributes go.</summary>
    public const string SdkSourceName = "com.anthropic.sdk.csharp";

    /// <summary>The request option in which the official SDK (13.x) carries the API call's span.</summary>
    public static readonly HttpRequestOptionsKey<Activity> SdkCallSpanOption = new("com.anthropic.sdk.csharp.call_span");

    private static readonly ConditionalWeakTable<Activity, StrongBox<Guid>> s_firstAttempts = new();

    /// <summary>The SDK's span for the call, when the call runs inside one.</summary>
    public static Activity? SdkSpan(Activity? current) =>
        current is not null && current.Source.Name == SdkSourceName ? current : null;

    public static AttemptLink For(Guid id, int? attempt, ChatCallMarker? chat, Activity? sdkCallSpan)
    {
        var first = attempt is null or 0;
        if (chat is not null)
        {
            if (first)
            {
                chat.FirstAttemptId ??= id;
            }

            return new AttemptLink(true, first ? null : chat.FirstAttemptId);
        }

        if (sdkCallSpan is not null)
        {
            if (first)
            {
                s_firstAttempts.AddOrUpdate(sdkCallSpan, new StrongBox<Guid>(id));
                return new AttemptLink(true, null);
            }

            return new AttemptLink(true, s_firstAttempts.TryGetValue(sdkCallSpan, out var box) ? box.Value : null);
        }

        return new AttemptLink(false, null);
    }
}
