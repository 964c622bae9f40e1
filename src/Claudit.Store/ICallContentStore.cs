using Claudit.Core.Records;

namespace Claudit.Store;

/// <summary>
/// What calls said and answered, when the gateway captures content (<c>claudit serve --capture-content</c>, off by
/// default): kept apart from the records, keyed by call id, already redacted (<see cref="ContentRedactor"/>) before
/// it reaches a store. Best effort: content is not journaled, so a crash may lose the last content written while
/// the records it joins survive.
/// </summary>
public interface ICallContentStore
{
    /// <summary>Keeps each call's content; a call id already stored is skipped, so a batch written again is harmless.</summary>
    Task AppendContentAsync(IReadOnlyList<CallContent> contents, CancellationToken cancellationToken = default);

    /// <summary>The stored content of those of <paramref name="callIds"/> that have any, by call id.</summary>
    Task<IReadOnlyDictionary<Guid, CallContent>> GetContentAsync(IReadOnlyCollection<Guid> callIds, CancellationToken cancellationToken = default);
}
