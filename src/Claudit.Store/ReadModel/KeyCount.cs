namespace Claudit.Store.ReadModel;

/// <summary>How many calls had a value (a stop reason, a quality flag), and their share of the calls counted.</summary>
public sealed record KeyCount(string Key, long Count, double Share);
