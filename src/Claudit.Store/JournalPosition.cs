namespace Claudit.Store;

/// <summary>A point in the journal: a file of the journal directory (its name, not its path) and the byte offset just past the last line taken from it.</summary>
public readonly record struct JournalPosition(string File, long Offset);
