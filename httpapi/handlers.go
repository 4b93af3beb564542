package httpapi

import (
	"net/http"

	"smsadmin"
)

func errUnavailable(msg string) error { return smsadmin.Errorf(smsadmin.CodeUnavailable, "%s", msg) }

// me answers who the token belongs to.
func (s *API) me(w http.ResponseWriter, r *http.Request) error {
	a, _ := smsadmin.ActorFrom(r.Context())
	writeJSON(w, http.StatusOK, map[string]any{
		"principal_id": a.PrincipalID, "role": a.Role, "tenant_id": a.TenantID, "user_id": a.UserID, "name": a.Name,
	})
	return nil
}

func (s *API) createTenant(w http.ResponseWriter, r *http.Request) error {
	var t smsadmin.Tenant
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	t.Name = in.Name
	if err := s.svc.CreateTenant(r.Context(), &t); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, &t)
	return nil
}

func (s *API) listTenants(w http.ResponseWriter, r *http.Request) error {
	return writePage(w, r, func(req smsadmin.PageRequest) (any, error) {
		return s.svc.ListTenants(r.Context(), req)
	})
}

func (s *API) getTenant(w http.ResponseWriter, r *http.Request) error {
	t, err := s.svc.GetTenant(r.Context(), r.PathValue("tenant"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (s *API) createToken(w http.ResponseWriter, r *http.Request) error {
	var in smsadmin.TokenRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	p, token, err := s.svc.CreateToken(r.Context(), r.PathValue("tenant"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, struct {
		Token string `json:"token"`
		*smsadmin.Principal
	}{token, p})
	return nil
}

func (s *API) listTokens(w http.ResponseWriter, r *http.Request) error {
	return writePage(w, r, func(req smsadmin.PageRequest) (any, error) {
		return s.svc.ListTokens(r.Context(), r.PathValue("tenant"), req)
	})
}

func (s *API) revokeToken(w http.ResponseWriter, r *http.Request) error {
	p, err := s.svc.RevokeToken(r.Context(), r.PathValue("tenant"), r.PathValue("principal"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *API) createSupportToken(w http.ResponseWriter, r *http.Request) error {
	var in smsadmin.SupportTokenRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	p, token, err := s.svc.CreateSupportToken(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, struct {
		Token string `json:"token"`
		*smsadmin.Principal
	}{token, p})
	return nil
}

func (s *API) listSupportTokens(w http.ResponseWriter, r *http.Request) error {
	return writePage(w, r, func(req smsadmin.PageRequest) (any, error) {
		return s.svc.ListSupportTokens(r.Context(), req)
	})
}

func (s *API) revokeSupportToken(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.svc.RevokeSupportToken(r.Context(), r.PathValue("principal")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) createUser(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name    string  `json:"name"`
		Email   string  `json:"email"`
		License *string `json:"license"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	u := smsadmin.User{Name: in.Name, Email: in.Email, License: in.License}
	if err := s.svc.CreateUser(r.Context(), r.PathValue("tenant"), &u); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, &u)
	return nil
}

func (s *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	return writePage(w, r, func(req smsadmin.PageRequest) (any, error) {
		return s.svc.ListUsers(r.Context(), r.PathValue("tenant"), req)
	})
}

func (s *API) getUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.svc.GetUser(r.Context(), r.PathValue("tenant"), r.PathValue("user"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *API) updateUser(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name         *string            `json:"name"`
		Email        *string            `json:"email"`
		License      nullable[string]   `json:"license"`
		PhoneNumbers nullable[[]string] `json:"phone_numbers"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.PhoneNumbers.Set && in.PhoneNumbers.Value == nil {
		return smsadmin.FieldErrorf("phone_numbers", "invalid_type", "phone_numbers must be a list ([] for none), not null.")
	}
	patch := smsadmin.UserPatch{Name: in.Name, Email: in.Email, SetLicense: in.License.Set, License: in.License.Value,
		SetPhoneNumbers: in.PhoneNumbers.Set}
	if in.PhoneNumbers.Value != nil {
		patch.PhoneNumbers = *in.PhoneNumbers.Value
	}
	u, err := s.svc.UpdateUser(r.Context(), r.PathValue("tenant"), r.PathValue("user"), patch)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *API) createNumber(w http.ResponseWriter, r *http.Request) error {
	var in smsadmin.NumberRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	n, err := s.svc.CreateNumber(r.Context(), r.PathValue("tenant"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, n)
	return nil
}

func (s *API) listNumbers(w http.ResponseWriter, r *http.Request) error {
	req, err := pageRequest(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := smsadmin.NumberFilter{UserID: q.Get("user_id")}
	if f.Unowned, err = boolQuery(r, "unowned"); err != nil {
		return err
	}
	page, err := s.svc.ListNumbers(r.Context(), r.PathValue("tenant"), f, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *API) getNumber(w http.ResponseWriter, r *http.Request) error {
	n, err := s.svc.GetNumber(r.Context(), r.PathValue("tenant"), r.PathValue("number"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, n)
	return nil
}

func (s *API) deleteNumber(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteNumber(r.Context(), r.PathValue("tenant"), r.PathValue("number")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) listAudit(w http.ResponseWriter, r *http.Request) error {
	req, err := pageRequest(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := s.svc.ListAudit(r.Context(), r.PathValue("tenant"), smsadmin.AuditFilter{Object: q.Get("object"), Action: q.Get("action")}, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}
