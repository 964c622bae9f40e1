using Claudit.Store;
using Claudit.Store.ReadModel;

namespace Claudit.Server.Content;

/// <summary>
/// A session's timeline with each call's stored content (redacted), and whether this gateway captures content
/// now (<c>content_capture</c>), so the dashboard can show the conversation or say how to turn capture on.
/// </summary>
internal sealed class ContentView(ICallContentStore store, bool capturing)
{
    public async Task<SessionDetail> WithContentAsync(SessionDetail session, CancellationToken cancellationToken)
    {
        var found = await store.GetContentAsync([.. session.Calls.Select(c => c.Id)], cancellationToken).ConfigureAwait(false);
        return session with
        {
            ContentCapture = capturing ? "on" : "off",
            Calls = found.Count == 0 ? session.Calls : [.. session.Calls.Select(c => found.TryGetValue(c.Id, out var content) ? c with { Content = content } : c)],
        };
    }
}
