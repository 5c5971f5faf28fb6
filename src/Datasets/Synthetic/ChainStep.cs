namespace PrunerPipeline.Datasets.Synthetic;

/// <summary>One operation of an arithmetic chain: <c>+ 38</c> or <c>- 12</c>.</summary>
public sealed record ChainStep(char Operator, int Operand)
{
    public int Apply(int value) => Operator == '+' ? value + Operand : value - Operand;
}
