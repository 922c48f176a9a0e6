"""Domain objects and rules: motions, argument maps, evidence sentences, replies, sessions."""
