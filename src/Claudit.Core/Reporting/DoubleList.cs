namespace Claudit.Core.Reporting;

/// <summary>A growable list of doubles that exposes its span, for sorting in place.</summary>
internal sealed class DoubleList
{
    private double[] _items = new double[256];

    public int Count { get; private set; }

    public Span<double> Span => _items.AsSpan(0, Count);

    public void Add(double value)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = value;
    }

    public void AddRange(DoubleList other)
    {
        if (Count + other.Count > _items.Length)
        {
            Array.Resize(ref _items, Math.Max(_items.Length * 2, Count + other.Count));
        }

        other.Span.CopyTo(_items.AsSpan(Count));
        Count += other.Count;
    }
}
