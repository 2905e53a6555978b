"""The workspace page: members, the invite code, and the user's API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException
from sqlalchemy import select

from microfilm.studio import security
from microfilm.studio.models import ApiToken, User, utcnow
from microfilm.studio.web import Ctx, csrf_protect, page_ctx, redirect, render

router = APIRouter()


def _page(ctx: Ctx, new_token: str = "", status_code: int = 200):
    user = ctx.require_user()
    members = ctx.db.scalars(select(User).where(User.workspace_id == user.workspace_id).order_by(User.id)).all()
    tokens = ctx.db.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                            .order_by(ApiToken.id.desc())).all()
    return render(ctx, "account.html", status_code=status_code, workspace=user.workspace,
                  members=members, tokens=tokens, new_token=new_token)


@router.get("/account")
def account(ctx: Ctx = Depends(page_ctx)):
    return _page(ctx)


@router.post("/account/tokens", dependencies=[Depends(csrf_protect)])
def create_token(ctx: Ctx = Depends(page_ctx), name: str = Form("")):
    user = ctx.require_user()
    token = security.new_token(security.TOKEN_PREFIX)
    ctx.db.add(ApiToken(user_id=user.id, name=(name.strip() or "token")[:80], prefix=token[:10],
                        token_hash=security.token_hash(token), created_at=utcnow()))
    ctx.db.commit()
    # Shown once, on this response only; the catalogue keeps its hash.
    response = _page(ctx, new_token=token)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/account/tokens/{token_id}/revoke", dependencies=[Depends(csrf_protect)])
def revoke_token(token_id: int, ctx: Ctx = Depends(page_ctx)):
    user = ctx.require_user()
    row = ctx.db.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise HTTPException(404)
    row.revoked_at = utcnow()
    ctx.db.commit()
    return redirect("/account")
