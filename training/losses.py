import torch
import torch.nn.functional as F


def focal_loss(logits, target, alpha=0.25, gamma=2.0):
    """Sigmoid focal loss, mean over pixels. logits/target [..., H, W] -> [...]."""
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    pt = p * target + (1 - p) * (1 - target)
    loss = ce * (1 - pt) ** gamma
    if alpha >= 0:
        loss = loss * (alpha * target + (1 - alpha) * (1 - target))
    return loss.flatten(-2).mean(-1)


def dice_loss(logits, target, eps=1.0):
    p = torch.sigmoid(logits).flatten(-2)
    t = target.flatten(-2)
    return 1.0 - (2 * (p * t).sum(-1) + eps) / (p.sum(-1) + t.sum(-1) + eps)


def mask_loss(logits, target, w_focal=20.0, w_dice=1.0):
    return w_focal * focal_loss(logits, target) + w_dice * dice_loss(logits, target)


def true_iou(logits, target):
    pred = logits > 0
    t = target > 0.5
    inter = (pred & t).flatten(-2).sum(-1).float()
    union = (pred | t).flatten(-2).sum(-1).float()
    return inter / union.clamp(min=1)


def min_over_masks(losses):
    """losses [B,K] -> (min per row [B], argmin [B])."""
    return losses.min(dim=1)
