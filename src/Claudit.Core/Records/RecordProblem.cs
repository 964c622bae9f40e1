namespace Claudit.Core.Records;

/// <summary>Why a record was refused: the field, named as in the record format (<c>usage.input_tokens</c>), and what is wrong with it.</summary>
public sealed record RecordProblem(string Field, string Reason)
{
    public override string ToString() => $"{Field}: {Reason}";
}
