(* Farkas.v - rule check_farkas (vep-ebpf/src/farkas.c: vep_farkas;
   docs/proof-format.md 7.7): an accepted certificate proves its goal.

   Linear forms are over integer variables (numbered by nat); the
   checker's 128-bit arithmetic is overflow-checked (overflow rejects), so
   every value it computes is the mathematical one modelled here. *)

Require Import ZArith Lia List.
Open Scope Z_scope.

(* vep_lin: constant + sum of coeff * var. Terms may repeat a variable;
   the value is the sum either way. *)
Record lin := { cst : Z; terms : list (nat * Z) }.

Definition env := nat -> Z.

Fixpoint eval_terms (e : env) (ts : list (nat * Z)) : Z :=
  match ts with
  | nil => 0
  | (v, k) :: ts' => k * e v + eval_terms e ts'
  end.

Definition eval (e : env) (f : lin) : Z := cst f + eval_terms e (terms f).

(* The coefficient of variable v in a term list. *)
Fixpoint coeff (v : nat) (ts : list (nat * Z)) : Z :=
  match ts with
  | nil => 0
  | (w, k) :: ts' => (if Nat.eqb v w then k else 0) + coeff v ts'
  end.

Definition scale (m : Z) (f : lin) : lin :=
  {| cst := m * cst f; terms := map (fun t => (fst t, m * snd t)) (terms f) |}.

Definition add (f g : lin) : lin :=
  {| cst := cst f + cst g; terms := terms f ++ terms g |}.

Definition zero : lin := {| cst := 0; terms := nil |}.

(* The combination vep_farkas accumulates (acc[] and constant):
   sum_j mult_j * hyps[hyp_j] + goal_mult * (-goal - 1). *)
Fixpoint sum_entries (hyps : list lin) (es : list (nat * Z)) : lin :=
  match es with
  | nil => zero
  | (h, m) :: es' => add (scale m (nth h hyps zero)) (sum_entries hyps es')
  end.

Definition combination (hyps : list lin) (goal : lin) (g : Z)
           (es : list (nat * Z)) : lin :=
  add (sum_entries hyps es) (add (scale (- g) goal) {| cst := - g; terms := nil |}).

(* What vep_farkas accepts: goal_mult >= 0, every hyp_j < n, every
   mult_j >= 0, the accumulated coefficient of every variable of the
   forms involved is zero ("cancelled"), and the constant is negative. *)
Definition accepts (hyps : list lin) (goal : lin) (g : Z)
           (es : list (nat * Z)) : Prop :=
  let c := combination hyps goal g es in
  0 <= g /\
  Forall (fun '(h, m) => (h < length hyps)%nat /\ 0 <= m) es /\
  Forall (fun t => coeff (fst t) (terms c) = 0) (terms c) /\
  cst c < 0.

(* ---- linearity of evaluation ------------------------------------------------ *)
Lemma eval_terms_app : forall e a b,
  eval_terms e (a ++ b) = eval_terms e a + eval_terms e b.
Proof. induction a as [|[v k] a IH]; simpl; intros; try rewrite IH; lia. Qed.

Lemma eval_add : forall e f g, eval e (add f g) = eval e f + eval e g.
Proof. intros; unfold eval, add; simpl; rewrite eval_terms_app; lia. Qed.

Lemma eval_scale : forall e m f, eval e (scale m f) = m * eval e f.
Proof.
  intros e m [c ts]; unfold eval, scale; simpl.
  induction ts as [|[v k] ts IH]; simpl; [lia|]; nia.
Qed.

(* ---- a form whose coefficients are all zero is its constant ------------- *)
Lemma coeff_not_in : forall v ts, (forall k, ~ In (v, k) ts) -> coeff v ts = 0.
Proof.
  induction ts as [|[w k] ts IH]; simpl; intros H; auto.
  destruct (Nat.eqb_spec v w) as [->|]; [exfalso; eapply H; left; eauto|].
  rewrite IH; auto; intros k' Hk; eapply H; right; eauto.
Qed.

(* Checking the variables that occur ("cancelled") checks all of them. *)
Lemma all_coeffs_zero : forall ts,
  Forall (fun t => coeff (fst t) ts = 0) ts -> forall v, coeff v ts = 0.
Proof.
  intros ts H v.
  destruct (existsb (fun t => Nat.eqb v (fst t)) ts) eqn:E.
  - apply existsb_exists in E as [[w k] [I Ew]]; simpl in Ew.
    apply Nat.eqb_eq in Ew; subst w.
    apply (proj1 (Forall_forall _ ts) H _ I).
  - apply coeff_not_in; intros k I.
    assert (existsb (fun t => Nat.eqb v (fst t)) ts = true)
      by (apply existsb_exists; exists (v, k); simpl; rewrite Nat.eqb_refl; auto).
    congruence.
Qed.

Definition other (v : nat) (t : nat * Z) : bool := negb (Nat.eqb v (fst t)).

Lemma eval_terms_split : forall e v ts,
  eval_terms e ts = coeff v ts * e v + eval_terms e (filter (other v) ts).
Proof.
  intros e v; induction ts as [|[w k] ts IH]; simpl; [lia|].
  unfold other at 1; simpl.
  destruct (Nat.eqb_spec v w) as [->|]; simpl; rewrite IH; lia.
Qed.

Lemma coeff_filter : forall v w ts,
  coeff w (filter (other v) ts) = if Nat.eqb w v then 0 else coeff w ts.
Proof.
  intros v w; induction ts as [|[u k] ts IH]; simpl.
  - destruct (Nat.eqb w v); auto.
  - unfold other at 1; simpl.
    destruct (Nat.eqb_spec v u) as [->|Hvu]; simpl; rewrite IH.
    + destruct (Nat.eqb w u); lia.
    + destruct (Nat.eqb_spec w v) as [->|]; auto.
      rewrite (proj2 (Nat.eqb_neq v u) Hvu); lia.
Qed.

Lemma filter_length : forall (p : nat * Z -> bool) ts,
  (length (filter p ts) <= length ts)%nat.
Proof. induction ts; simpl; [lia|]; destruct (p a); simpl; lia. Qed.

Lemma zero_coeffs_eval : forall e n ts,
  (length ts <= n)%nat -> (forall v, coeff v ts = 0) -> eval_terms e ts = 0.
Proof.
  intros e n; induction n as [|n IH]; intros ts L H.
  - destruct ts; simpl in *; [auto | lia].
  - destruct ts as [|[v k] ts]; [reflexivity|].
    rewrite (eval_terms_split e v), H, Z.mul_0_l, Z.add_0_l.
    apply IH.
    + simpl in *; unfold other at 1; simpl; rewrite Nat.eqb_refl; simpl.
      pose proof (filter_length (other v) ts); lia.
    + intros w; rewrite coeff_filter, H; destruct (Nat.eqb w v); auto.
Qed.

(* ---- soundness ------------------------------------------------------------ *)
Lemma sum_entries_nonneg : forall e hyps es,
  Forall (fun h => 0 <= eval e h) hyps ->
  Forall (fun '(h, m) => (h < length hyps)%nat /\ 0 <= m) es ->
  0 <= eval e (sum_entries hyps es).
Proof.
  intros e hyps es Hh; induction es as [|[h m] es IH]; simpl; intros Hes.
  - unfold eval; simpl; lia.
  - inversion Hes as [|? ? Hx Hrest]; subst; simpl in Hx.
    destruct Hx as [Hlt Hm].
    rewrite eval_add, eval_scale.
    assert (0 <= eval e (nth h hyps zero))
      by (apply (proj1 (Forall_forall _ hyps) Hh), nth_In; auto).
    specialize (IH Hrest); nia.
Qed.

(* farkas.c:vep_farkas: if the certificate is accepted and every hypothesis
   holds (hyps[i] >= 0), the goal holds (goal >= 0). For DEAD_PATH the goal
   is the constant -1: an accepted certificate means the hypotheses cannot
   all hold, so the path is dead. *)
Theorem check_farkas_sound : forall e hyps goal g es,
  accepts hyps goal g es ->
  Forall (fun h => 0 <= eval e h) hyps ->
  0 <= eval e goal.
Proof.
  intros e hyps goal g es [Hg [Hes [Hcoef Hcst]]] Hh.
  set (c := combination hyps goal g es) in *.
  assert (Ec : eval e c = cst c).
  { assert (Z0 : eval_terms e (terms c) = 0)
      by (apply (zero_coeffs_eval e (length (terms c)));
          [lia | apply all_coeffs_zero; auto]).
    unfold eval; rewrite Z0; lia. }
  assert (Ev : eval e c = eval e (sum_entries hyps es) + g * (- eval e goal - 1)).
  { subst c; unfold combination; rewrite !eval_add, eval_scale.
    unfold eval at 3; simpl; lia. }
  pose proof (sum_entries_nonneg e hyps es Hh Hes).
  destruct (Z_lt_le_dec (eval e goal) 0); [nia | auto].
Qed.

Corollary dead_path_sound : forall e hyps g es,
  accepts hyps {| cst := -1; terms := nil |} g es ->
  ~ Forall (fun h => 0 <= eval e h) hyps.
Proof.
  intros e hyps g es A H; pose proof (check_farkas_sound e _ _ g es A H).
  unfold eval in *; simpl in *; lia.
Qed.

(* ---- steps: ROUND and SPLIT (farkas.c: round_down, next_case) ----------- *)
(* A COMB step is the combination above; its soundness is
   sum_entries_nonneg (the facts it names, hypotheses, the negated goal and
   earlier steps, all hold). *)

(* ROUND: every coefficient divided by d >= 1 (the checker's d, the gcd,
   divides them all), the constant rounded down (Z.div is the floor). *)
Definition round (d : Z) (f : lin) : lin :=
  {| cst := cst f / d; terms := map (fun t => (fst t, snd t / d)) (terms f) |}.

Lemma eval_terms_divided : forall e d ts, 0 < d ->
  Forall (fun t => (d | snd t)) ts ->
  eval_terms e ts = d * eval_terms e (map (fun t => (fst t, snd t / d)) ts).
Proof.
  intros e d ts Hd; induction ts as [|[v k] ts IH]; simpl; intros H; [lia|].
  inversion H as [|? ? Hk Hrest]; subst; simpl in Hk.
  destruct Hk as [q ->].
  rewrite Z.div_mul by lia; rewrite IH by auto; lia.
Qed.

(* The rounded fact holds wherever the fact holds, over the integers. *)
Theorem check_round_sound : forall e d f, 0 < d ->
  Forall (fun t => (d | snd t)) (terms f) ->
  0 <= eval e f -> 0 <= eval e (round d f).
Proof.
  intros e d [c ts] Hd Hdiv H; unfold eval, round in *; simpl in *.
  rewrite (eval_terms_divided e d ts Hd Hdiv) in H.
  set (s := eval_terms e _) in *.
  pose proof (Z.div_mod c d ltac:(lia)); pose proof (Z.mod_pos_bound c d Hd).
  nia.
Qed.

(* round_down computes the floor from C's truncating division: the
   quotient, one less when the remainder is negative. *)
Lemma floor_from_truncation : forall c d, 0 < d ->
  Z.quot c d - (if Z.rem c d <? 0 then 1 else 0) = c / d.
Proof.
  intros c d Hd.
  pose proof (Z.quot_rem' c d) as E.
  destruct (Z_le_gt_dec 0 c) as [Hc|Hc].
  - pose proof (Z.rem_bound_pos c d Hc Hd).
    destruct (Z.ltb_spec (Z.rem c d) 0); [lia|].
    rewrite Z.sub_0_r; apply (Z.div_unique_pos c d _ (Z.rem c d)); lia.
  - pose proof (Z.rem_bound_pos (- c) d ltac:(lia) Hd) as B.
    rewrite Z.rem_opp_l in B by lia.
    destruct (Z.ltb_spec (Z.rem c d) 0).
    + apply (Z.div_unique_pos c d _ (Z.rem c d + d)); lia.
    + rewrite Z.sub_0_r; apply (Z.div_unique_pos c d _ (Z.rem c d)); lia.
Qed.

(* SPLIT: the cases k - x >= 0 and x - k - 1 >= 0, as the checker writes
   them. If each case together with the facts P is contradictory, P is. *)
Definition case_le (x : nat) (k : Z) : lin := {| cst := k; terms := (x, -1) :: nil |}.
Definition case_ge (x : nat) (k : Z) : lin :=
  {| cst := - (k + 1); terms := (x, 1) :: nil |}.

Theorem check_split_sound : forall (P : env -> Prop) x k,
  (forall e, P e -> 0 <= eval e (case_le x k) -> False) ->
  (forall e, P e -> 0 <= eval e (case_ge x k) -> False) ->
  forall e, ~ P e.
Proof.
  intros P x k Hle Hge e H.
  destruct (Z_le_gt_dec (e x) k); [apply (Hle e H) | apply (Hge e H)];
    unfold eval, case_le, case_ge; cbn [cst terms eval_terms]; lia.
Qed.
