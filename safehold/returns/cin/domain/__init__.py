"""Pure CIN census core (no Django): the census structure, XML writer and reader, and the DfE rules."""
