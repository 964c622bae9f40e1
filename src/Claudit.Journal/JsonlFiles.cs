using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Claudit.Journal;

/// <summary>Opening journal files for reading while a writer may still be appending to them.</summary>
public static class JsonlFiles
{
    public static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);

    /// <summary>Expands directories to the <c>*.jsonl</c> files inside them, in name order; files pass through.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.GetFiles(path, "*.jsonl").Order(StringComparer.Ordinal));
            }
            else
            {
                files.Add(path);
            }
        }

        return files;
    }

    /// <summary>The line ends (newlines) in bytes [<paramref name="from"/>, <paramref name="to"/>) of an open file, read with positional reads.</summary>
    public static long CountLines(SafeFileHandle file, long from, long to)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long lines = 0;
            for (var at = from; at < to;)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, to - at)), at);
                if (read == 0)
                {
                    break;
                }

                lines += buffer.AsSpan(0, read).Count((byte)'\n');
                at += read;
            }

            return lines;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
