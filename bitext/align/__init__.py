"""Alignment: sentence segmentation, paragraph and sentence alignment, evaluation."""
