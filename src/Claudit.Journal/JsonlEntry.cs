using Claudit.Core.Records;

namespace Claudit.Journal;

/// <summary>
/// One line of JSONL as read: its number (1-based), the stream offset just past it, and either the
/// record it holds or why it holds none, with its first bytes (<see cref="Excerpt"/>, for a dead letter)
/// and its full length. <see cref="Terminated"/> is false for a last line without a newline, which a
/// writer may still be completing.
/// </summary>
public sealed record JsonlEntry(long Line, long EndOffset, CallRecord? Record, string? Problem, ReadOnlyMemory<byte> Excerpt, long LineBytes, bool Terminated);
